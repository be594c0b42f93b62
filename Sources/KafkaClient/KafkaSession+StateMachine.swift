extension KafkaSession {
    /// All mutable bookkeeping of a session, guarded by one `Mutex`.
    ///
    /// Pure state transitions that return what the caller (``KafkaSession/Core``)
    /// must do; no I/O happens here.
    struct StateMachine {
        enum Lifecycle {
            case running
            case shuttingDown
            case shutDown
        }

        enum ConsumerSlot {
            case none
            case active(ConsumerRuntime)
            case closed
        }

        private(set) var lifecycle: Lifecycle = .running
        private(set) var connection: ConnectionState = .unknown
        private(set) var consumer: ConsumerSlot = .none
        /// Calls currently using a librdkafka handle; shutdown waits for them.
        private(set) var handleUsers = 0
        private var nextToken: UInt64 = 1
        private var waiters: [UInt64: CheckedContinuation<DeliveryReport, Never>] = [:]

        // MARK: Handle use

        /// Registers a call that is about to use a handle.
        mutating func enter() throws(KafkaError) {
            guard case .running = lifecycle else { throw KafkaError.shutdown() }
            handleUsers += 1
        }

        mutating func leave() {
            handleUsers -= 1
        }

        // MARK: Producing

        /// Hands out the delivery token for the next message (and remembers `waiter`).
        /// Counts as a handle use: call ``leave()`` after the produce call.
        mutating func reserveToken(waiter: CheckedContinuation<DeliveryReport, Never>?) throws(KafkaError) -> UInt64 {
            try enter()
            let token = nextToken
            nextToken &+= 1
            if let waiter { waiters[token] = waiter }
            return token
        }

        /// The produce call itself failed: the message will never get a report.
        mutating func produceFailed(token: UInt64) -> CheckedContinuation<DeliveryReport, Never>? {
            waiters.removeValue(forKey: token)
        }

        struct DeliveryAction {
            var resume: [(CheckedContinuation<DeliveryReport, Never>, DeliveryReport)] = []
            var connectionChange: ConnectionState?
        }

        mutating func deliveryReportsArrived(_ reports: [DeliveryReport]) -> DeliveryAction {
            var action = DeliveryAction()
            if !waiters.isEmpty {
                for report in reports {
                    if let waiter = waiters.removeValue(forKey: report.token) {
                        action.resume.append((waiter, report))
                    }
                }
            }
            if reports.contains(where: \.isAcknowledged) {
                action.connectionChange = brokersAnswered()
            }
            return action
        }

        // MARK: Connection state

        /// Returns the new state if it changed.
        mutating func brokersAnswered() -> ConnectionState? {
            guard connection != .up else { return nil }
            connection = .up
            return .up
        }

        /// Returns the new state if it changed.
        mutating func allBrokersDown(reason: String) -> ConnectionState? {
            if case .down = connection { return nil }
            connection = .down(reason: reason)
            return connection
        }

        // MARK: Consumer

        enum ConsumerAction {
            case reuse(ConsumerRuntime)
            case create
        }

        mutating func consumerRequested() throws(KafkaError) -> ConsumerAction {
            guard case .running = lifecycle else { throw KafkaError.shutdown() }
            switch consumer {
            case .active(let runtime): return .reuse(runtime)
            case .none: return .create
            case .closed: throw KafkaError.shutdown()
            }
        }

        /// Returns false if the session started shutting down meanwhile: the caller
        /// must then tear the new consumer down itself.
        mutating func consumerCreated(_ runtime: ConsumerRuntime) -> Bool {
            guard case .running = lifecycle, case .none = consumer else { return false }
            consumer = .active(runtime)
            return true
        }

        var activeConsumer: ConsumerRuntime? {
            if case .active(let runtime) = consumer { return runtime }
            return nil
        }

        // MARK: Shutdown

        enum ShutdownAction {
            /// Proceed: stop this consumer (if any), then the producer.
            case shutDown(consumer: ConsumerRuntime?)
            /// Another call already shut (or is shutting) the session down.
            case alreadyShutDown
        }

        mutating func startShutdown() -> ShutdownAction {
            guard case .running = lifecycle else { return .alreadyShutDown }
            lifecycle = .shuttingDown
            let runtime = activeConsumer
            consumer = .closed
            return .shutDown(consumer: runtime)
        }

        /// Handles are gone: returns the `send` callers still waiting, to be failed.
        mutating func finishShutdown() -> [(UInt64, CheckedContinuation<DeliveryReport, Never>)] {
            lifecycle = .shutDown
            let remaining = waiters.map { ($0.key, $0.value) }
            waiters.removeAll()
            return remaining
        }
    }
}
