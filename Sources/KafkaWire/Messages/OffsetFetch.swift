import NIOCore

/// OffsetFetch (key 9) v0-5. From v2 a null topic list asks for every committed offset.
public struct OffsetFetchRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.offsetFetch

    public struct Topic: Sendable, Equatable {
        public var name: String
        public var partitionIndexes: [Int32]
        public init(name: String, partitionIndexes: [Int32]) {
            self.name = name
            self.partitionIndexes = partitionIndexes
        }
    }

    public var groupID: String
    public var topics: [Topic]?

    public init(groupID: String, topics: [Topic]?) {
        self.groupID = groupID
        self.topics = topics
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        groupID = try buffer.readKafkaString()
        topics = try buffer.readKafkaNullableArray { buffer in
            Topic(name: try buffer.readKafkaString(), partitionIndexes: try buffer.readKafkaArray { try $0.readKafkaInteger() })
        }
        if version < 2, topics == nil { throw KafkaWireError(.malformed, "null topics before OffsetFetch v2") }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaString(groupID)
        buffer.writeKafkaNullableArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaArray(topic.partitionIndexes) { $0.writeKafkaInteger($1) }
        }
    }
}

public struct OffsetFetchResponse: KafkaResponseMessage, Equatable {
    public struct Partition: Sendable, Equatable {
        public var partitionIndex: Int32
        public var committedOffset: Int64
        public var committedLeaderEpoch: Int32 = -1
        public var metadata: String?
        public var errorCode: KafkaErrorCode
        public init(partitionIndex: Int32, committedOffset: Int64, metadata: String?, errorCode: KafkaErrorCode) {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.metadata = metadata
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
    public var errorCode: KafkaErrorCode = .none

    public init(topics: [Topic]) { self.topics = topics }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 3 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.partitionIndex)
                buffer.writeKafkaInteger(partition.committedOffset)
                if version >= 5 { buffer.writeKafkaInteger(partition.committedLeaderEpoch) }
                buffer.writeKafkaNullableString(partition.metadata)
                buffer.writeKafkaInteger(partition.errorCode.rawValue)
            }
        }
        if version >= 2 { buffer.writeKafkaInteger(errorCode.rawValue) }
    }
}
