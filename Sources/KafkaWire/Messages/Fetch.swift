import NIOCore

/// Fetch (key 1) v4-11.
public struct FetchRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.fetch

    public struct Partition: Sendable, Equatable {
        public var partition: Int32
        public var currentLeaderEpoch: Int32 = -1
        public var fetchOffset: Int64
        public var logStartOffset: Int64 = -1
        public var partitionMaxBytes: Int32
        public init(partition: Int32, fetchOffset: Int64, partitionMaxBytes: Int32) {
            self.partition = partition
            self.fetchOffset = fetchOffset
            self.partitionMaxBytes = partitionMaxBytes
        }
    }

    public struct Topic: Sendable, Equatable {
        public var topic: String
        public var partitions: [Partition]
        public init(topic: String, partitions: [Partition]) {
            self.topic = topic
            self.partitions = partitions
        }
    }

    public struct ForgottenTopic: Sendable, Equatable {
        public var topic: String
        public var partitions: [Int32]
    }

    public var replicaID: Int32 = -1
    public var maxWaitMs: Int32
    public var minBytes: Int32
    public var maxBytes: Int32
    public var isolationLevel: Int8 = 0
    public var sessionID: Int32 = 0
    public var sessionEpoch: Int32 = -1
    public var topics: [Topic]
    public var forgottenTopics: [ForgottenTopic] = []
    public var rackID: String = ""

    public init(maxWaitMs: Int32, minBytes: Int32, maxBytes: Int32, topics: [Topic]) {
        self.maxWaitMs = maxWaitMs
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.topics = topics
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        replicaID = try buffer.readKafkaInteger()
        maxWaitMs = try buffer.readKafkaInteger()
        minBytes = try buffer.readKafkaInteger()
        maxBytes = try buffer.readKafkaInteger()
        isolationLevel = try buffer.readKafkaInteger()
        if version >= 7 {
            sessionID = try buffer.readKafkaInteger()
            sessionEpoch = try buffer.readKafkaInteger()
        }
        topics = try buffer.readKafkaArray { buffer in
            Topic(topic: try buffer.readKafkaString(), partitions: try buffer.readKafkaArray { buffer in
                let partition: Int32 = try buffer.readKafkaInteger()
                let epoch: Int32 = version >= 9 ? try buffer.readKafkaInteger() : -1
                let offset: Int64 = try buffer.readKafkaInteger()
                let logStart: Int64 = version >= 5 ? try buffer.readKafkaInteger() : -1
                var result = Partition(partition: partition, fetchOffset: offset, partitionMaxBytes: try buffer.readKafkaInteger())
                result.currentLeaderEpoch = epoch
                result.logStartOffset = logStart
                return result
            })
        }
        if version >= 7 {
            forgottenTopics = try buffer.readKafkaArray { buffer in
                ForgottenTopic(topic: try buffer.readKafkaString(), partitions: try buffer.readKafkaArray { try $0.readKafkaInteger() })
            }
        }
        if version >= 11 { rackID = try buffer.readKafkaString() }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaInteger(replicaID)
        buffer.writeKafkaInteger(maxWaitMs)
        buffer.writeKafkaInteger(minBytes)
        buffer.writeKafkaInteger(maxBytes)
        buffer.writeKafkaInteger(isolationLevel)
        if version >= 7 {
            buffer.writeKafkaInteger(sessionID)
            buffer.writeKafkaInteger(sessionEpoch)
        }
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.topic)
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.partition)
                if version >= 9 { buffer.writeKafkaInteger(partition.currentLeaderEpoch) }
                buffer.writeKafkaInteger(partition.fetchOffset)
                if version >= 5 { buffer.writeKafkaInteger(partition.logStartOffset) }
                buffer.writeKafkaInteger(partition.partitionMaxBytes)
            }
        }
        if version >= 7 {
            buffer.writeKafkaArray(forgottenTopics) { buffer, topic in
                buffer.writeKafkaString(topic.topic)
                buffer.writeKafkaArray(topic.partitions) { $0.writeKafkaInteger($1) }
            }
        }
        if version >= 11 { buffer.writeKafkaString(rackID) }
    }
}

public struct FetchResponse: KafkaResponseMessage {
    public struct Partition: Sendable {
        public var partitionIndex: Int32
        public var errorCode: KafkaErrorCode
        public var highWatermark: Int64
        public var lastStableOffset: Int64
        public var logStartOffset: Int64
        /// Stored record batches, written back to back as the `records` bytes.
        public var records: [ByteBuffer]
        public init(partitionIndex: Int32, errorCode: KafkaErrorCode, highWatermark: Int64,
                    logStartOffset: Int64, records: [ByteBuffer]) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.highWatermark = highWatermark
            self.lastStableOffset = highWatermark
            self.logStartOffset = logStartOffset
            self.records = records
        }
    }

    public struct Topic: Sendable {
        public var topic: String
        public var partitions: [Partition]
        public init(topic: String, partitions: [Partition]) {
            self.topic = topic
            self.partitions = partitions
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: KafkaErrorCode = .none
    public var sessionID: Int32 = 0
    public var topics: [Topic]

    public init(topics: [Topic]) { self.topics = topics }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaInteger(throttleTimeMs)
        if version >= 7 {
            buffer.writeKafkaInteger(errorCode.rawValue)
            buffer.writeKafkaInteger(sessionID)
        }
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.topic)
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.partitionIndex)
                buffer.writeKafkaInteger(partition.errorCode.rawValue)
                buffer.writeKafkaInteger(partition.highWatermark)
                buffer.writeKafkaInteger(partition.lastStableOffset)
                if version >= 5 { buffer.writeKafkaInteger(partition.logStartOffset) }
                buffer.writeKafkaInteger(Int32(-1)) // safe: literal; aborted_transactions: null
                if version >= 11 { buffer.writeKafkaInteger(Int32(-1)) } // safe: literal; preferred_read_replica
                // The broker caps fetch sizes far below 2 GiB; should batches ever add up to more,
                // only the whole batches that fit the int32 size are sent (the client fetches on).
                var size = 0
                var count = 0
                for batch in partition.records {
                    guard batch.readableBytes <= Int(Int32.max) - size else { break } // safe: widening
                    size += batch.readableBytes
                    count += 1
                }
                buffer.writeKafkaInteger(Int32(clamping: size))
                for var batch in partition.records.prefix(count) { buffer.writeBuffer(&batch) }
            }
        }
    }
}
