import NIOCore

/// OffsetCommit (key 8) v0-7.
public struct OffsetCommitRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.offsetCommit

    public struct Partition: Sendable, Equatable {
        public var partitionIndex: Int32
        public var committedOffset: Int64
        public var committedLeaderEpoch: Int32 = -1
        public var commitTimestamp: Int64 = -1
        public var committedMetadata: String?
        public init(partitionIndex: Int32, committedOffset: Int64, committedMetadata: String? = nil) {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedMetadata = committedMetadata
        }
    }

    public struct Topic: Sendable, Equatable {
        public var name: String
        public var partitions: [Partition]
        public init(name: String, partitions: [Partition]) {
            self.name = name
            self.partitions = partitions
        }
    }

    public var groupID: String
    public var generationID: Int32 = -1
    public var memberID: String = ""
    public var groupInstanceID: String?
    public var retentionTimeMs: Int64 = -1
    public var topics: [Topic]

    public init(groupID: String, generationID: Int32 = -1, memberID: String = "", topics: [Topic]) {
        self.groupID = groupID
        self.generationID = generationID
        self.memberID = memberID
        self.topics = topics
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        groupID = try buffer.readKafkaString()
        if version >= 1 {
            generationID = try buffer.readKafkaInteger()
            memberID = try buffer.readKafkaString()
        }
        if version >= 7 { groupInstanceID = try buffer.readKafkaNullableString() }
        if (2...4).contains(version) { retentionTimeMs = try buffer.readKafkaInteger() }
        topics = try buffer.readKafkaArray { buffer in
            Topic(name: try buffer.readKafkaString(), partitions: try buffer.readKafkaArray { buffer in
                let index: Int32 = try buffer.readKafkaInteger()
                let offset: Int64 = try buffer.readKafkaInteger()
                let epoch: Int32 = version >= 6 ? try buffer.readKafkaInteger() : -1
                let timestamp: Int64 = version == 1 ? try buffer.readKafkaInteger() : -1
                var partition = Partition(partitionIndex: index, committedOffset: offset,
                                          committedMetadata: try buffer.readKafkaNullableString())
                partition.committedLeaderEpoch = epoch
                partition.commitTimestamp = timestamp
                return partition
            })
        }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaString(groupID)
        if version >= 1 {
            buffer.writeKafkaInteger(generationID)
            buffer.writeKafkaString(memberID)
        }
        if version >= 7 { buffer.writeKafkaNullableString(groupInstanceID) }
        if (2...4).contains(version) { buffer.writeKafkaInteger(retentionTimeMs) }
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.partitionIndex)
                buffer.writeKafkaInteger(partition.committedOffset)
                if version >= 6 { buffer.writeKafkaInteger(partition.committedLeaderEpoch) }
                if version == 1 { buffer.writeKafkaInteger(partition.commitTimestamp) }
                buffer.writeKafkaNullableString(partition.committedMetadata)
            }
        }
    }
}

public struct OffsetCommitResponse: KafkaResponseMessage, Equatable {
    public struct Partition: Sendable, Equatable {
        public var partitionIndex: Int32
        public var errorCode: KafkaErrorCode
        public init(partitionIndex: Int32, errorCode: KafkaErrorCode) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
        }
    }

    public struct Topic: Sendable, Equatable {
        public var name: String
        public var partitions: [Partition]
        public init(name: String, partitions: [Partition]) {
            self.name = name
            self.partitions = partitions
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var topics: [Topic]

    public init(topics: [Topic]) { self.topics = topics }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 3 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.partitionIndex)
                buffer.writeKafkaInteger(partition.errorCode.rawValue)
            }
        }
    }
}
