import Foundation
import Logging

/// A connection to a Kafka cluster: one producer handle, one (lazily created)
/// consumer handle and admin operations, all over librdkafka.
///
/// Threads: a dedicated producer poll thread serves delivery reports and errors;
/// a dedicated consumer thread (started by the first `subscribe`/`assign`) polls
/// messages. Handlers are called on those threads, in batches; keep them short
/// and do not block in them. Capture the session weakly in handlers.
///
/// ```swift
/// let session = try KafkaSession(configuration: .init(bootstrapServers: ["localhost:9092"]))
/// session.setDeliveryHandler { reports in ... }            // batches of DeliveryReport
/// let token = try session.produce(topic: "chat", key: "general", value: json)
/// try session.subscribe(topics: ["chat_controlled"], groupID: "tui-alice") { messages in ... }
/// session.shutdown()
/// ```
public final class KafkaSession: Sendable {
    let core: Core

    /// Creates the producer handle and starts its poll thread. Does not wait for a
    /// broker: connection problems show up as events and delivery failures.
    public init(
        configuration: KafkaConfiguration,
        logger: Logger = Logger(label: "kchat.kafka"),
        onDelivery: (@Sendable ([DeliveryReport]) -> Void)? = nil,
        onEvent: (@Sendable (KafkaEvent) -> Void)? = nil
    ) throws(KafkaError) {
        guard configuration.maxBatchSize > 0 else {
            throw KafkaError(code: .invalidConfiguration, reason: "maxBatchSize must be positive")
        }
        core = try Core(
            configuration: configuration,
            logger: logger,
            handlers: Core.Handlers(onDelivery: onDelivery, onEvent: onEvent)
        )
        core.startProducerThread()
    }

    deinit {
        shutdown()
    }

    public var configuration: KafkaConfiguration { core.configuration }

    /// librdkafka's version string (e.g. "2.0.2").
    /// How often the poll threads ask the token provider for a refreshed token.
    static let tokenCheckInterval = Duration.seconds(30)

    public static var librdkafkaVersion: String { RDKafkaConfig.librdkafkaVersion }

    /// Checks that librdkafka accepts every property of `configuration`, without connecting.
    public static func validate(_ configuration: KafkaConfiguration) throws(KafkaError) {
        try RDKafkaConfig.validate(properties: configuration.producerProperties)
        try RDKafkaConfig.validate(properties: configuration.consumerProperties(groupID: "validate", autoCommit: false))
    }

    /// Replaces the delivery report handler (called with batches on the producer poll thread).
    public func setDeliveryHandler(_ handler: (@Sendable ([DeliveryReport]) -> Void)?) {
        core.handlers.withLock { $0.onDelivery = handler }
    }

    /// Replaces the event handler (connection state, errors, rebalances; called on poll threads).
    public func setEventHandler(_ handler: (@Sendable (KafkaEvent) -> Void)?) {
        core.handlers.withLock { $0.onEvent = handler }
    }

    /// The last known connection state (`.unknown` until a broker answered or all were reported down).
    public var connectionState: ConnectionState {
        core.state.withLock { $0.connection }
    }

    /// True once ``shutdown(flushTimeout:)`` started.
    public var isShutDown: Bool {
        core.state.withLock { $0.lifecycle } != .running
    }

    /// Stops consuming (leaving the group cleanly, final auto-commit), waits up to
    /// `flushTimeout` for outstanding deliveries (their reports are still delivered;
    /// what remains is purged and reported as `.failed(.purged)`), then destroys the
    /// handles. Blocking and idempotent. When called from inside a handler it only
    /// starts the shutdown on another thread and returns.
    public func shutdown(flushTimeout: Duration = .seconds(5)) {
        let core = self.core
        if core.isOnPollThread {
            let thread = Thread { core.shutdown(flushTimeout: flushTimeout) }
            thread.name = "kafka-shutdown"
            thread.start()
            return
        }
        core.shutdown(flushTimeout: flushTimeout)
    }

    /// ``shutdown(flushTimeout:)`` without blocking the caller's cooperative thread.
    public func shutdown(flushTimeout: Duration = .seconds(5)) async {
        let core = self.core
        _ = try? await runBlocking(name: "kafka-shutdown") { () throws(KafkaError) in
            core.shutdown(flushTimeout: flushTimeout)
        }
    }
}
