/// Whether the session can currently reach a broker.
public enum ConnectionState: Sendable, Hashable {
    /// Not known yet (just started).
    case unknown
    /// At least one broker answered recently.
    case up
    /// librdkafka reported that all brokers are down; the reason is its text.
    case down(reason: String)

    public var isUp: Bool { self == .up }
}

/// Out-of-band notifications of a session, for status lines and logs.
public enum KafkaEvent: Sendable, Hashable {
    /// The connection state changed (`.down` on ALL_BROKERS_DOWN, `.up` once a broker answers again).
    case connectionStateChanged(ConnectionState)
    /// A non-fatal error librdkafka reported (transport errors, consumer errors); it keeps retrying.
    case error(KafkaError)
    /// A fatal error: the affected handle is unusable, recreate the session.
    case fatal(KafkaError)
    /// The consumer group assigned these partitions to this session.
    case partitionsAssigned([TopicPartition])
    /// The consumer group took these partitions away.
    case partitionsRevoked([TopicPartition])
}
