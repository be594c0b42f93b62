/// The single error type of the `KafkaClient` module.
///
/// `code` is a coarse, switchable classification; `reason` is the human readable
/// text (usually librdkafka's own); `rdKafkaCode` is librdkafka's raw
/// `rd_kafka_resp_err_t` value when the error came from librdkafka.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Coarse classification of a failure, stable across librdkafka versions.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A configuration property was unknown or had an invalid value.
        case invalidConfiguration
        /// An argument was invalid (bad topic name, negative partition count, ...).
        case invalidArgument
        /// The call is not allowed in the session's current state
        /// (for example `subscribe` after `shutdown`, or a second consumer group).
        case invalidState
        /// The session was shut down; the operation was abandoned.
        case shutdown
        /// The topic or partition does not exist.
        case unknownTopic
        /// `createTopic` for a topic that already exists.
        case topicAlreadyExists
        /// An operation or a message delivery did not complete in time.
        case timedOut
        /// A connection to a broker failed or was lost.
        case transport
        /// Every known broker is unreachable.
        case allBrokersDown
        /// librdkafka's local producer queue is full (`queue.buffering.max.messages`).
        case queueFull
        /// The message is larger than the client or broker allows.
        case messageTooLarge
        /// The message was removed from the producer queue before delivery (shutdown/purge).
        case purged
        /// Consumer group membership, rebalance or offset commit failed.
        case consumerGroup
        /// The broker refused the request because of (missing) authorization.
        case authorization
        /// The broker does not support the request or version.
        case unsupported
        /// An unrecoverable client error; the session should be recreated.
        case fatal
        /// Anything else.
        case other
    }

    public var code: Code
    public var reason: String
    /// librdkafka's `rd_kafka_resp_err_t` raw value, when the error came from librdkafka.
    public var rdKafkaCode: Int32?

    public init(code: Code, reason: String, rdKafkaCode: Int32? = nil) {
        self.code = code
        self.reason = reason
        self.rdKafkaCode = rdKafkaCode
    }

    public var description: String {
        if let rdKafkaCode {
            return "KafkaError.\(code.rawValue)(\(rdKafkaCode)): \(reason)"
        }
        return "KafkaError.\(code.rawValue): \(reason)"
    }

    /// True for errors that usually go away by themselves (broker restarts, timeouts, full queues).
    public var isTransient: Bool {
        switch code {
        case .timedOut, .transport, .allBrokersDown, .queueFull: return true
        default: return false
        }
    }
}

extension KafkaError {
    static func invalidState(_ reason: String) -> KafkaError {
        KafkaError(code: .invalidState, reason: reason)
    }

    static func shutdown(_ reason: String = "the Kafka session has been shut down") -> KafkaError {
        KafkaError(code: .shutdown, reason: reason)
    }

    static func invalidArgument(_ reason: String) -> KafkaError {
        KafkaError(code: .invalidArgument, reason: reason)
    }
}
