import NIOCore

/// ListOffsets (key 2) v0-2. Timestamp -1 asks for the end, -2 for the start.
public struct ListOffsetsRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.listOffsets
    public static let latest: Int64 = -1
    public static let earliest: Int64 = -2

    public struct Partition: Sendable, Equatable {
        public var partitionIndex: Int32
        public var timestamp: Int64
        public var maxNumOffsets: Int32 = 1
        public init(partitionIndex: Int32, timestamp: Int64) {
            self.partitionIndex = partitionIndex
            self.timestamp = timestamp
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

    public var replicaID: Int32 = -1
    public var isolationLevel: Int8 = 0
    public var topics: [Topic]

    public init(topics: [Topic]) { self.topics = topics }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        replicaID = try buffer.readKafkaInteger()
        if version >= 2 { isolationLevel = try buffer.readKafkaInteger() }
        topics = try buffer.readKafkaArray { buffer in
            Topic(name: try buffer.readKafkaString(), partitions: try buffer.readKafkaArray { buffer in
                var partition = Partition(partitionIndex: try buffer.readKafkaInteger(), timestamp: try buffer.readKafkaInteger())
                if version == 0 { partition.maxNumOffsets = try buffer.readKafkaInteger() }
                return partition
            })
        }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaInteger(replicaID)
        if version >= 2 { buffer.writeKafkaInteger(isolationLevel) }
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.partitionIndex)
                buffer.writeKafkaInteger(partition.timestamp)
                if version == 0 { buffer.writeKafkaInteger(partition.maxNumOffsets) }
            }
        }
    }
}

public struct ListOffsetsResponse: KafkaResponseMessage, Equatable {
    public struct Partition: Sendable, Equatable {
        public var partitionIndex: Int32
        public var errorCode: KafkaErrorCode
        public var timestamp: Int64 = -1
        public var offset: Int64
        public init(partitionIndex: Int32, errorCode: KafkaErrorCode, offset: Int64) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.offset = offset
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
        if version >= 2 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.partitionIndex)
                buffer.writeKafkaInteger(partition.errorCode.rawValue)
                if version == 0 {
                    let offsets = partition.errorCode == .none && partition.offset >= 0 ? [partition.offset] : []
                    buffer.writeKafkaArray(offsets) { $0.writeKafkaInteger($1) }
                } else {
                    buffer.writeKafkaInteger(partition.timestamp)
                    buffer.writeKafkaInteger(partition.offset)
                }
            }
        }
    }
}
