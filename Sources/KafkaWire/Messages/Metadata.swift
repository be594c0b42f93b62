import NIOCore

/// Metadata (key 3) v0-4. `topics == nil` asks for every topic (v0 sends an empty array for that).
public struct MetadataRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.metadata

    public var topics: [String]?
    public var allowAutoTopicCreation: Bool = true

    public init(topics: [String]?, allowAutoTopicCreation: Bool = true) {
        self.topics = topics
        self.allowAutoTopicCreation = allowAutoTopicCreation
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        let names = try buffer.readKafkaNullableArray { try $0.readKafkaString() }
        topics = (version == 0 && names?.isEmpty == true) ? nil : names
        if version >= 4 { allowAutoTopicCreation = try buffer.readKafkaBool() }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version == 0 {
            buffer.writeKafkaArray(topics ?? []) { $0.writeKafkaString($1) }
        } else {
            buffer.writeKafkaNullableArray(topics) { $0.writeKafkaString($1) }
        }
        if version >= 4 { buffer.writeKafkaBool(allowAutoTopicCreation) }
    }
}

public struct MetadataResponse: KafkaResponseMessage, Equatable {
    public struct Broker: Sendable, Equatable {
        public var nodeID: Int32
        public var host: String
        public var port: Int32
        public init(nodeID: Int32, host: String, port: Int32) {
            self.nodeID = nodeID
            self.host = host
            self.port = port
        }
    }

    public struct Partition: Sendable, Equatable {
        public var errorCode: KafkaErrorCode
        public var partitionIndex: Int32
        public var leaderID: Int32
        public var replicaNodes: [Int32]
        public var isrNodes: [Int32]
        public init(errorCode: KafkaErrorCode, partitionIndex: Int32, leaderID: Int32) {
            self.errorCode = errorCode
            self.partitionIndex = partitionIndex
            self.leaderID = leaderID
            self.replicaNodes = [leaderID]
            self.isrNodes = [leaderID]
        }
    }

    public struct Topic: Sendable, Equatable {
        public var errorCode: KafkaErrorCode
        public var name: String
        public var isInternal: Bool = false
        public var partitions: [Partition]
        public init(errorCode: KafkaErrorCode, name: String, partitions: [Partition]) {
            self.errorCode = errorCode
            self.name = name
            self.partitions = partitions
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var brokers: [Broker]
    public var clusterID: String?
    public var controllerID: Int32
    public var topics: [Topic]

    public init(brokers: [Broker], clusterID: String?, controllerID: Int32, topics: [Topic]) {
        self.brokers = brokers
        self.clusterID = clusterID
        self.controllerID = controllerID
        self.topics = topics
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 3 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaArray(brokers) { buffer, broker in
            buffer.writeKafkaInteger(broker.nodeID)
            buffer.writeKafkaString(broker.host)
            buffer.writeKafkaInteger(broker.port)
            if version >= 1 { buffer.writeKafkaNullableString(nil) } // rack
        }
        if version >= 2 { buffer.writeKafkaNullableString(clusterID) }
        if version >= 1 { buffer.writeKafkaInteger(controllerID) }
        buffer.writeKafkaArray(topics) { buffer, topic in
            buffer.writeKafkaInteger(topic.errorCode.rawValue)
            buffer.writeKafkaString(topic.name)
            if version >= 1 { buffer.writeKafkaBool(topic.isInternal) }
            buffer.writeKafkaArray(topic.partitions) { buffer, partition in
                buffer.writeKafkaInteger(partition.errorCode.rawValue)
                buffer.writeKafkaInteger(partition.partitionIndex)
                buffer.writeKafkaInteger(partition.leaderID)
                buffer.writeKafkaArray(partition.replicaNodes) { $0.writeKafkaInteger($1) }
                buffer.writeKafkaArray(partition.isrNodes) { $0.writeKafkaInteger($1) }
            }
        }
    }
}
