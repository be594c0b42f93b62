/// A partition of a topic.
public struct TopicPartition: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// Where to (re)start reading a partition, or an offset to commit.
public enum KafkaOffset: Sendable, Hashable {
    /// The oldest retained message.
    case beginning
    /// Only messages produced from now on.
    case end
    /// The group's committed offset (falls back to `auto.offset.reset`).
    case committed
    /// An absolute offset.
    case offset(Int64)
}

/// A partition plus an offset, for `assign` (start position) and `commit` (next offset to read).
public struct TopicPartitionOffset: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public var offset: KafkaOffset

    public init(topic: String, partition: Int32, offset: KafkaOffset) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    public var description: String { "\(topic)[\(partition)]@\(offset)" }
}
