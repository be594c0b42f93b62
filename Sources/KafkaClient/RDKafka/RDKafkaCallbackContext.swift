import CRDKafka
import Logging
import Synchronization

/// Something librdkafka told us outside of the message flow.
enum RDKafkaNotification: Sendable {
    case error(KafkaError)
    case fatal(KafkaError)
    case assigned([TopicPartition])
    case revoked([TopicPartition])
}

/// The object behind librdkafka's `opaque` pointer (`rd_kafka_conf_set_opaque`).
///
/// It is retained (`Unmanaged.passRetained`) before `rd_kafka_new` and released
/// only after `rd_kafka_destroy` returned, so every callback can use it safely.
final class RDKafkaCallbackContext: Sendable {
    let logger: Logger
    let notify: @Sendable (RDKafkaNotification) -> Void
    let tokenProvider: OAuthBearerTokenProvider?
    /// The token last handed to librdkafka, so that an unchanged one is not set again.
    let tokenHandedOver = Mutex<String?>(nil)

    init(logger: Logger, tokenProvider: OAuthBearerTokenProvider? = nil,
         notify: @escaping @Sendable (RDKafkaNotification) -> Void) {
        self.logger = logger
        self.tokenProvider = tokenProvider
        self.notify = notify
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> RDKafkaCallbackContext? {
        guard let opaque else { return nil }
        return Unmanaged<RDKafkaCallbackContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// The C callbacks. None captures anything: state comes from the opaque pointer.
enum RDKafkaCallbacks {
    /// Installs log, error and (for consumers) rebalance callbacks and the opaque pointer on `conf`.
    static func install(on conf: OpaquePointer, context: UnsafeMutableRawPointer, consumer: Bool) {
        rd_kafka_conf_set_opaque(conf, context)
        rd_kafka_conf_set_log_cb(conf, logCallback)
        if RDKafkaCallbackContext.from(context)?.tokenProvider != nil {
            // Set so that librdkafka never builds its own unsecured token. The token itself is
            // handed over by `handOverToken` when the handle is made and then from the poll
            // threads (no SASL background thread: two threads fewer per session).
            rd_kafka_conf_set_oauthbearer_token_refresh_cb(conf, tokenRefreshCallback)
        }
        if consumer {
            rd_kafka_conf_set_error_cb(conf, errorCallback)
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
        }
    }

    /// Runs on librdkafka's internal threads: only logs, calls no librdkafka API
    /// except the trivial `rd_kafka_opaque` accessor.
    static let logCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
        handle, level, facility, message in
        guard let handle, let context = RDKafkaCallbackContext.from(rd_kafka_opaque(handle)) else { return }
        let text = message.map { String(cString: $0) } ?? ""
        let facilityText = facility.map { String(cString: $0) } ?? ""
        context.logger.log(
            level: Logger.Level(syslogLevel: level),
            "\(text)",
            metadata: ["rdkafka.facility": "\(facilityText)"]
        )
    }

    /// Served when a poll serves librdkafka's refresh request: hands over the provider's token.
    static let tokenRefreshCallback: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
        handle, _, opaque in
        guard let handle, let context = RDKafkaCallbackContext.from(opaque) else { return }
        handOverToken(handle, context: context, force: true)
    }

    /// Asks the provider for its token and gives it to librdkafka when it changed (or `force`),
    /// or reports the failure. Called when the handle is made, from refresh requests, and
    /// periodically from the poll threads (`RDKafkaClient.refreshToken()`).
    static func handOverToken(_ handle: OpaquePointer, context: RDKafkaCallbackContext, force: Bool) {
        guard let provider = context.tokenProvider else { return }
        do {
            let token = try provider()
            guard force || context.tokenHandedOver.withLock({ $0 }) != token.token else { return }
            var errorBuffer = [CChar](repeating: 0, count: 512)
            let error = rd_kafka_oauthbearer_set_token(handle, token.token, token.expiresAtMilliseconds, token.principal,
                                                       nil, 0, &errorBuffer, errorBuffer.count)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                let reason = String(cBuffer: errorBuffer)
                context.logger.error("OAUTHBEARER token refused by librdkafka: \(reason)")
                rd_kafka_oauthbearer_set_token_failure(handle, reason)
            } else {
                context.tokenHandedOver.withLock { $0 = token.token }
            }
        } catch {
            context.logger.warning("OAUTHBEARER token refresh failed: \(error)")
            rd_kafka_oauthbearer_set_token_failure(handle, "token refresh failed: \(error)")
        }
    }

    /// Served by the consumer poll thread (`rd_kafka_consumer_poll`).
    static let errorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
        handle, code, reason, opaque in
        guard let context = RDKafkaCallbackContext.from(opaque) else { return }
        let error = rd_kafka_resp_err_t(rawValue: code)
        if error == RD_KAFKA_RESP_ERR__FATAL, let handle {
            var buffer = [CChar](repeating: 0, count: 512)
            let fatalCode = rd_kafka_fatal_error(handle, &buffer, buffer.count)
            context.notify(.fatal(KafkaError(rdKafka: fatalCode, reason: String(cBuffer: buffer))))
            return
        }
        context.notify(.error(KafkaError(rdKafka: error, reason: reason.map { String(cString: $0) })))
    }

    /// The default rebalance behaviour (eager or cooperative), plus a notification.
    static let rebalanceCallback: @convention(c) (OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?) -> Void = {
        handle, code, partitions, opaque in
        guard let handle else { return }
        let context = RDKafkaCallbackContext.from(opaque)
        let cooperative = rd_kafka_rebalance_protocol(handle).map { String(cString: $0) } == "COOPERATIVE"
        let list = partitions.map { RDKafkaTopicPartitionList.topicPartitions(of: $0) } ?? []
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(handle, partitions) {
                    context?.notify(.error(KafkaError.consuming(error)))
                }
            } else {
                rd_kafka_assign(handle, partitions)
            }
            context?.notify(.assigned(list))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_unassign(handle, partitions) {
                    context?.notify(.error(KafkaError.consuming(error)))
                }
            } else {
                rd_kafka_assign(handle, nil)
            }
            context?.notify(.revoked(list))
        default:
            rd_kafka_assign(handle, nil)
            context?.notify(.error(KafkaError(rdKafka: code)))
        }
    }
}

extension Logger.Level {
    /// syslog(3) levels as librdkafka uses them.
    init(syslogLevel: Int32) {
        switch syslogLevel {
        case ...2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }
}
