import Foundation
import Logging
import Synchronization

extension KafkaSession {
    /// Where consumed batches go: a handler closure or an ``KafkaMessageBatches`` stream.
    struct MessageSink: Sendable {
        var deliver: @Sendable (KafkaMessageBatch) -> Void
        var finish: @Sendable () -> Void

        /// A sink for a handler of copies.
        static func copying(_ onMessages: @escaping @Sendable ([ConsumedMessage]) -> Void) -> MessageSink {
            MessageSink(deliver: { onMessages($0.consumedMessages) }, finish: {})
        }
    }

    /// How the consumer handle was set up; fixed for its lifetime.
    enum ConsumerMode: Sendable, Equatable {
        /// `rd_kafka_subscribe` in this consumer group.
        case group(String)
        /// `rd_kafka_assign` only (a private, never-committing group id).
        case manual
    }

    /// The consumer handle plus its poll thread.
    final class ConsumerRuntime: Sendable {
        let client: RDKafkaClient
        let mode: ConsumerMode
        let groupID: String
        private let sink = Mutex<MessageSink?>(nil)
        private let threadBox = Mutex<PollThread?>(nil)
        /// Whether the group was left cleanly (false: close timed out).
        private let closedCleanly = Mutex<Bool>(false)

        init(client: RDKafkaClient, mode: ConsumerMode, groupID: String) {
            self.client = client
            self.mode = mode
            self.groupID = groupID
        }

        /// The poll thread (nil only between creation and ``start(core:)``).
        var thread: PollThread? {
            threadBox.withLock { $0 }
        }

        /// Starts the poll thread; must be called exactly once.
        func start(core: Core) {
            let thread = PollThread(name: "kafka-consumer-poll") { [self, core] thread in
                self.runLoop(thread, core: core)
            }
            threadBox.withLock { $0 = thread }
        }

        /// Replaces the sink; the previous one is finished (its stream ends).
        func setSink(_ newSink: MessageSink) {
            let old = sink.withLock { sink in
                let old = sink
                sink = newSink
                return old
            }
            old?.finish()
        }

        /// Asks the thread to close the consumer (leaving the group) and waits for it.
        func stopPolling() {
            guard let thread else {
                let closed = client.closeConsumer(timeoutMilliseconds: 500)
                closedCleanly.withLock { $0 = closed }
                return
            }
            thread.requestStop()
            thread.join()
        }

        /// Destroys the handle. If the close timed out (coordinator unreachable),
        /// librdkafka 2.0.2's destroy still waits for the pending final commit, so it
        /// then runs on a detached thread instead of blocking shutdown.
        func destroy() {
            if closedCleanly.withLock({ $0 }) {
                client.destroy()
            } else {
                let client = self.client
                let thread = Thread { client.destroy() }
                thread.name = "kafka-consumer-destroy"
                thread.start()
            }
        }

        private func runLoop(_ thread: PollThread, core: Core) {
            let timeout = core.configuration.pollInterval.timeoutMilliseconds
            let maxBatch = core.configuration.maxBatchSize
            var errors: [KafkaError] = []
            let clock = ContinuousClock()
            var lastTokenCheck = clock.now
            while !thread.shouldStop {
                let batch = client.pollBatch(timeoutMilliseconds: timeout, maxMessages: maxBatch, errors: &errors)
                if core.configuration.oauthBearerToken != nil, clock.now - lastTokenCheck >= KafkaSession.tokenCheckInterval {
                    lastTokenCheck = clock.now
                    client.refreshToken()  // a refreshed token, for the connections still to come
                }
                if let batch {
                    core.connectionChanged(core.state.withLock { $0.brokersAnswered() })
                    sink.withLock { $0 }?.deliver(KafkaMessageBatch(storage: batch))
                }
                for error in errors {
                    core.route(.error(error))
                }
                errors.removeAll(keepingCapacity: true)
            }
            // Serves the final revoke (and auto-commit) on this thread.
            let closed = client.closeConsumer(timeoutMilliseconds: core.configuration.consumerCloseTimeout.timeoutMilliseconds)
            closedCleanly.withLock { $0 = closed }
            if !closed {
                core.logger.warning("Kafka consumer close did not finish within \(core.configuration.consumerCloseTimeout); abandoning group membership")
            }
            let last = sink.withLock { sink in
                let last = sink
                sink = nil
                return last
            }
            last?.finish()
        }
    }

    /// Returns the consumer for `mode`, creating it (and its thread) on first use.
    /// Call with `core.consumerSetup` held.
    func consumer(for requested: ConsumerMode) throws(KafkaError) -> ConsumerRuntime {
        switch try core.state.withLock({ (state) throws(KafkaError) in try state.consumerRequested() }) {
        case .reuse(let runtime):
            switch (runtime.mode, requested) {
            case (.group(let existing), .group(let wanted)) where existing != wanted:
                throw KafkaError.invalidState("this session's consumer is in group '\(existing)', not '\(wanted)'")
            case (.group(let existing), .manual):
                throw KafkaError.invalidState("this session's consumer is subscribed in group '\(existing)'; assign needs a separate session")
            case (.manual, .group):
                throw KafkaError.invalidState("this session's consumer uses assign; subscribe needs a separate session")
            default:
                return runtime
            }
        case .create:
            let groupID: String
            let autoCommit: Bool
            switch requested {
            case .group(let id):
                groupID = id
                autoCommit = core.configuration.enableAutoCommit
            case .manual:
                groupID = "\(core.configuration.clientID)-assign-\(UInt64.random(in: 0...UInt64.max))"
                autoCommit = false
            }
            let context = RDKafkaCallbackContext(logger: core.logger, tokenProvider: core.configuration.oauthBearerToken) { [weak core] notification in
                core?.route(notification)
            }
            let client = try RDKafkaClient.make(
                kind: .consumer,
                properties: core.configuration.consumerProperties(groupID: groupID, autoCommit: autoCommit),
                context: context
            )
            let runtime = ConsumerRuntime(client: client, mode: requested, groupID: groupID)
            guard core.state.withLock({ $0.consumerCreated(runtime) }) else {
                _ = client.closeConsumer(timeoutMilliseconds: 500)
                client.destroy()
                throw KafkaError.shutdown()
            }
            runtime.start(core: core)
            return runtime
        }
    }
}
