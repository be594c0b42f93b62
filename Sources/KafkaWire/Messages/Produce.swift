import NIOCore

/// Produce (key 0) v3-7.
public struct ProduceRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.produce

    public struct PartitionData: Sendable, Equatable {
        public var index: Int32
        public var records: ByteBuffer?
        public init(index: Int32, records: ByteBuffer?) {
            self.index = index
            self.records = records
        }
    }

    public struct TopicData: Sendable, Equatable {
        public var name: String
        public var partitions: [PartitionData]
        public init(name: String, partitions: [PartitionData]) {
            self.name = name
            self.partitions = partitions
        }
    }

    public var transactionalID: String?
    public var acks: Int16
    public var timeoutMs: Int32
    public var topics: [TopicData]

    public init(transactionalID: String? = nil, acks: Int16, timeoutMs: Int32, topics: [TopicData]) {
        self.transactionalID = transactionalID
        self.acks = acks
        self.timeoutMs = timeoutMs
        self.topics = topics
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        transactionalID = try buffer.readKafkaNullableString()
        acks = try buffer.readKafkaInteger()
        timeoutMs = try buffer.readKafkaInteger()
        topics = try buffer.readKafkaArray { buffer in
            TopicData(name: try buffer.readKafkaString(), partitions: try buffer.readKafkaArray { buffer in
                PartitionData(index: try buffer.readKafkaInteger(), records: try buffer.readKafkaNullableBytes())
            })
        }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaNullableString(transactionalID)
        buffer.writeKafkaInteger(acks)
        buffer.writeKafkaInteger(timeoutMs)
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.index)
                buffer.writeKafkaNullableBytes(partition.records)
            }
        }
    }
}

public struct ProduceResponse: KafkaResponseMessage, Equatable {
    public struct PartitionResponse: Sendable, Equatable {
        public var index: Int32
        public var errorCode: KafkaErrorCode
        public var baseOffset: Int64
        public var logAppendTimeMs: Int64 = -1
        public var logStartOffset: Int64
        public init(index: Int32, errorCode: KafkaErrorCode, baseOffset: Int64, logStartOffset: Int64) {
            self.index = index
            self.errorCode = errorCode
            self.baseOffset = baseOffset
            self.logStartOffset = logStartOffset
        }
    }

    public struct TopicResponse: Sendable, Equatable {
        public var name: String
        public var partitions: [PartitionResponse]
        public init(name: String, partitions: [PartitionResponse]) {
            self.name = name
            self.partitions = partitions
        }
    }

    public var topics: [TopicResponse]
    public var throttleTimeMs: Int32 = 0

    public init(topics: [TopicResponse]) { self.topics = topics }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.index)
                buffer.writeKafkaInteger(partition.errorCode.rawValue)
                buffer.writeKafkaInteger(partition.baseOffset)
                buffer.writeKafkaInteger(partition.logAppendTimeMs)
                if version >= 5 { buffer.writeKafkaInteger(partition.logStartOffset) }
            }
        }
        buffer.writeKafkaInteger(throttleTimeMs)
    }
}
