/// The outcome of one produced message, delivered in batches to the session's delivery handler.
public struct DeliveryReport: Sendable, Hashable {
    public enum Result: Sendable, Hashable {
        /// The broker acknowledged the message (`acks` satisfied).
        case acknowledged
        /// The message was not delivered; the error says why (timeout, unknown topic, purged, ...).
        case failed(KafkaError)
    }

    /// The token `produce` returned for this message.
    public var token: UInt64
    public var topic: String
    /// The partition, or -1 if the message never got one.
    public var partition: Int32
    /// The offset the broker assigned, or nil when not acknowledged / unknown.
    public var offset: Int64?
    public var result: Result

    public init(token: UInt64, topic: String, partition: Int32, offset: Int64?, result: Result) {
        self.token = token
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.result = result
    }

    public var isAcknowledged: Bool {
        if case .acknowledged = result { return true }
        return false
    }

    public var error: KafkaError? {
        if case .failed(let error) = result { return error }
        return nil
    }
}
