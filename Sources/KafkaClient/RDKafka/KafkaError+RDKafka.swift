import CRDKafka

extension KafkaError {
    /// Wraps a librdkafka error code; `reason` defaults to `rd_kafka_err2str`.
    init(rdKafka error: rd_kafka_resp_err_t, reason: String? = nil) {
        let text = reason ?? String(cString: rd_kafka_err2str(error))
        self.init(code: Self.classify(error), reason: text, rdKafkaCode: error.rawValue)
    }

    /// Wraps (and destroys) an `rd_kafka_error_t *`.
    static func consuming(_ error: OpaquePointer) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let code = rd_kafka_error_code(error)
        let reason = rd_kafka_error_string(error).map { String(cString: $0) }
        var result = KafkaError(rdKafka: code, reason: reason)
        if rd_kafka_error_is_fatal(error) != 0 {
            result.code = .fatal
        }
        return result
    }

    /// Maps librdkafka's error codes onto the coarse ``KafkaError/Code``.
    static func classify(_ error: rd_kafka_resp_err_t) -> Code {
        switch error {
        case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
            return .topicAlreadyExists
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
             RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
            return .unknownTopic
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
             RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
            return .timedOut
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__RESOLVE,
             RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR__SSL,
             RD_KAFKA_RESP_ERR__AUTHENTICATION:
            return .transport
        case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
            return .allBrokersDown
        case RD_KAFKA_RESP_ERR__QUEUE_FULL:
            return .queueFull
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
            return .messageTooLarge
        case RD_KAFKA_RESP_ERR__PURGE_QUEUE, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
            return .purged
        case RD_KAFKA_RESP_ERR__DESTROY:
            return .shutdown
        case RD_KAFKA_RESP_ERR__INVALID_ARG, RD_KAFKA_RESP_ERR_INVALID_PARTITIONS,
             RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR, RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION,
             RD_KAFKA_RESP_ERR_INVALID_CONFIG, RD_KAFKA_RESP_ERR_INVALID_REQUEST:
            return .invalidArgument
        case RD_KAFKA_RESP_ERR__STATE, RD_KAFKA_RESP_ERR__CONFLICT, RD_KAFKA_RESP_ERR__EXISTING_SUBSCRIPTION:
            return .invalidState
        case RD_KAFKA_RESP_ERR__FATAL, RD_KAFKA_RESP_ERR__FENCED:
            return .fatal
        case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED,
             RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
            return .authorization
        case RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION, RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE,
             RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED:
            return .unsupported
        case RD_KAFKA_RESP_ERR__UNKNOWN_GROUP, RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST,
             RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED, RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
             RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
             RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
             RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE, RD_KAFKA_RESP_ERR__NO_OFFSET:
            return .consumerGroup
        default:
            return .other
        }
    }
}

extension String {
    /// Text of a NUL-terminated C buffer (an `errstr` argument).
    init(cBuffer: [CChar]) {
        self = String(decoding: cBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
