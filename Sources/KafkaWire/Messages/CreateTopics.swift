import NIOCore

/// CreateTopics (key 19) v0-4. num_partitions -1 (v4) means the broker default.
public struct CreateTopicsRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.createTopics

    public struct Assignment: Sendable, Equatable {
        public var partitionIndex: Int32
        public var brokerIDs: [Int32]
    }

    public struct Config: Sendable, Equatable {
        public var name: String
        public var value: String?
    }

    public struct Topic: Sendable, Equatable {
        public var name: String
        public var numPartitions: Int32
        public var replicationFactor: Int16
        public var assignments: [Assignment] = []
        public var configs: [Config] = []
        public init(name: String, numPartitions: Int32, replicationFactor: Int16) {
            self.name = name
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
        }
    }

    public var topics: [Topic]
    public var timeoutMs: Int32
    public var validateOnly: Bool = false

    public init(topics: [Topic], timeoutMs: Int32, validateOnly: Bool = false) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        topics = try buffer.readKafkaArray { buffer in
            var topic = Topic(name: try buffer.readKafkaString(), numPartitions: try buffer.readKafkaInteger(),
                              replicationFactor: try buffer.readKafkaInteger())
            topic.assignments = try buffer.readKafkaArray { buffer in
                Assignment(partitionIndex: try buffer.readKafkaInteger(), brokerIDs: try buffer.readKafkaArray { try $0.readKafkaInteger() })
            }
            topic.configs = try buffer.readKafkaArray { buffer in
                Config(name: try buffer.readKafkaString(), value: try buffer.readKafkaNullableString())
            }
            return topic
        }
        timeoutMs = try buffer.readKafkaInteger()
        if version >= 1 { validateOnly = try buffer.readKafkaBool() }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaInteger(topic.numPartitions)
            buffer.writeKafkaInteger(topic.replicationFactor)
            buffer.writeKafkaArray(topic.assignments) { buffer, assignment in
                buffer.writeKafkaInteger(assignment.partitionIndex)
                buffer.writeKafkaArray(assignment.brokerIDs) { $0.writeKafkaInteger($1) }
            }
            buffer.writeKafkaArray(topic.configs) { buffer, config in
                buffer.writeKafkaString(config.name)
                buffer.writeKafkaNullableString(config.value)
            }
        }
        buffer.writeKafkaInteger(timeoutMs)
        if version >= 1 { buffer.writeKafkaBool(validateOnly) }
    }
}

public struct CreateTopicsResponse: KafkaResponseMessage, Equatable {
    public struct Topic: Sendable, Equatable {
        public var name: String
        public var errorCode: KafkaErrorCode
        public var errorMessage: String?
        public init(name: String, errorCode: KafkaErrorCode, errorMessage: String? = nil) {
            self.name = name
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var topics: [Topic]

    public init(topics: [Topic]) { self.topics = topics }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 2 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaString(topic.name)
            buffer.writeKafkaInteger(topic.errorCode.rawValue)
            if version >= 1 { buffer.writeKafkaNullableString(topic.errorMessage) }
        }
    }
}
