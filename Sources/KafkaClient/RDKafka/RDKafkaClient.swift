import CRDKafka
import Foundation
import Synchronization

/// One librdkafka handle (`rd_kafka_t *`), producer or consumer.
///
/// librdkafka handles are thread-safe, hence `@unchecked Sendable`. The handle is
/// destroyed by ``destroy()`` (explicitly, so that the session controls the
/// order), and the callback context is released only after that.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind: Sendable {
        case producer
        case consumer
    }

    let kind: Kind
    let handle: OpaquePointer
    /// Producer only: the main queue, where delivery reports and errors arrive as events.
    /// (A consumer holds no queue reference: librdkafka requires those to be released
    /// before `rd_kafka_consumer_close`.)
    let queue: OpaquePointer?
    private let context: Unmanaged<RDKafkaCallbackContext>
    private let lifetime = Mutex(Lifetime())

    /// Consumed message batches still alive hold the handle open: librdkafka requires every
    /// message to be destroyed before its handle.
    private struct Lifetime {
        var liveBatches = 0
        var destroyRequested = false
        var destroyed = false

        /// Whether the caller must destroy the handle now (requested and no batch left).
        mutating func destroyIsDue() -> Bool {
            guard destroyRequested, liveBatches == 0, !destroyed else { return false }
            destroyed = true
            return true
        }
    }

    private init(kind: Kind, handle: OpaquePointer, queue: OpaquePointer?, context: Unmanaged<RDKafkaCallbackContext>) {
        self.kind = kind
        self.handle = handle
        self.queue = queue
        self.context = context
    }

    deinit {
        destroy()
    }

    /// Creates a handle. Producers get delivery reports and errors as events on the
    /// main queue (so `rd_kafka_flush` never runs callbacks on the caller's thread);
    /// consumers get error and rebalance callbacks served by `rd_kafka_consumer_poll`.
    static func make(
        kind: Kind,
        properties: [String: String],
        context: RDKafkaCallbackContext
    ) throws(KafkaError) -> RDKafkaClient {
        let conf = try RDKafkaConfig.make(properties: properties)
        let retained = Unmanaged.passRetained(context)
        RDKafkaCallbacks.install(on: conf, context: retained.toOpaque(), consumer: kind == .consumer)
        if kind == .producer {
            rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR))  // safe: a C constant
        }

        var errorBuffer = [CChar](repeating: 0, count: 512)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        guard let handle = rd_kafka_new(type, conf, &errorBuffer, errorBuffer.count) else {
            // rd_kafka_new takes ownership of conf only on success.
            rd_kafka_conf_destroy(conf)
            retained.release()
            throw KafkaError(code: .invalidConfiguration, reason: String(cBuffer: errorBuffer))
        }

        // The first token before any connection needs it; later ones from the poll threads.
        RDKafkaCallbacks.handOverToken(handle, context: context, force: true)

        var queue: OpaquePointer?
        switch kind {
        case .producer:
            queue = rd_kafka_queue_get_main(handle)
        case .consumer:
            // Serve errors, rebalances and commit results from rd_kafka_consumer_poll.
            rd_kafka_poll_set_consumer(handle)
            queue = nil
        }
        return RDKafkaClient(kind: kind, handle: handle, queue: queue, context: retained)
    }

    /// Destroys the handle (blocking until librdkafka's threads are gone), then releases the context.
    /// Consumers should have been closed with ``closeConsumer(timeoutMilliseconds:)`` first. Idempotent.
    /// While consumed message batches are alive the destroy waits for the last one: it then runs
    /// on a thread of its own when that batch is released.
    func destroy() {
        let due = lifetime.withLock { lifetime in
            lifetime.destroyRequested = true
            return lifetime.destroyIsDue()
        }
        if due { destroyHandle() }
    }

    func batchCreated() {
        lifetime.withLock { lifetime in
            precondition(!lifetime.destroyed, "RDKafkaClient: a message batch of a destroyed handle")
            lifetime.liveBatches += 1
        }
    }

    func batchReleased() {
        let due = lifetime.withLock { lifetime in
            precondition(lifetime.liveBatches > 0, "RDKafkaClient: more message batches released than created")
            lifetime.liveBatches -= 1
            return lifetime.destroyIsDue()
        }
        guard due else { return }
        // The batch's last owner may be any thread (a cooperative one too): not blocked by the destroy.
        let thread = Thread { [self] in destroyHandle() }
        thread.name = "kafka-consumer-destroy"
        thread.start()
    }

    private func destroyHandle() {
        if let queue {
            rd_kafka_queue_destroy(queue)
        }
        // Consumers were closed (with a deadline) by closeConsumer; a plain
        // rd_kafka_destroy would close again without one.
        rd_kafka_destroy_flags(handle, kind == .consumer ? Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE) : 0)  // safe: a C constant
        context.release()
    }

    /// librdkafka's instance name, e.g. "kchat#producer-1".
    var name: String {
        String(cString: rd_kafka_name(handle))
    }

    /// Wakes the producer poll thread if it is blocked in ``pollEvents``.
    func wakeUp() {
        if let queue {
            rd_kafka_queue_yield(queue)
        }
    }
}

extension RDKafkaClient {
    /// Gives librdkafka the provider's token if it changed since the last hand-over (a refresh);
    /// called periodically by the poll threads. Nothing without a token provider.
    func refreshToken() {
        guard !lifetime.withLock({ $0.destroyRequested }) else { return }
        RDKafkaCallbacks.handOverToken(handle, context: context.takeUnretainedValue(), force: false)
    }
}
