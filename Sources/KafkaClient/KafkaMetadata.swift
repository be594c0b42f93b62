/// Cluster metadata as returned by `KafkaSession.metadata()`.
public struct KafkaMetadata: Sendable, Hashable {
    public struct Broker: Sendable, Hashable {
        public var id: Int32
        public var host: String
        public var port: Int
    }

    public struct Partition: Sendable, Hashable {
        public var id: Int32
        public var leader: Int32
        public var replicas: [Int32]
        public var inSyncReplicas: [Int32]
        /// A partition-level error the broker reported, if any.
        public var error: KafkaError?
    }

    public struct Topic: Sendable, Hashable {
        public var name: String
        public var partitions: [Partition]
        /// A topic-level error the broker reported, if any (e.g. `.unknownTopic`).
        public var error: KafkaError?
    }

    public var brokers: [Broker]
    public var topics: [Topic]
    /// The broker that answered.
    public var originatingBrokerID: Int32
    public var originatingBrokerName: String

    /// Topic lookup by name.
    public func topic(named name: String) -> Topic? {
        topics.first { $0.name == name }
    }
}
