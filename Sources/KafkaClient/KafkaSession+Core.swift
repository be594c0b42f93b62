import Logging
import Synchronization

extension KafkaSession {
    /// The part of a session that the poll threads share. It holds no reference to
    /// the public ``KafkaSession``, so dropping the session runs its `deinit`.
    final class Core: Sendable {
        struct Handlers {
            var onDelivery: (@Sendable ([DeliveryReport]) -> Void)?
            var onEvent: (@Sendable (KafkaEvent) -> Void)?
        }

        let configuration: KafkaConfiguration
        let logger: Logger
        let producer: RDKafkaClient
        let state = Mutex(StateMachine())
        let handlers: Mutex<Handlers>
        /// Serializes consumer creation / subscribe / assign.
        let consumerSetup = Mutex<Void>(())
        private let producerThread = Mutex<PollThread?>(nil)

        init(configuration: KafkaConfiguration, logger: Logger, handlers: Handlers) throws(KafkaError) {
            self.configuration = configuration
            self.logger = logger
            self.handlers = Mutex(handlers)
            let context = RDKafkaCallbackContext(logger: logger, tokenProvider: configuration.oauthBearerToken) { _ in }
            self.producer = try RDKafkaClient.make(
                kind: .producer, properties: configuration.producerProperties, context: context
            )
        }

        func startProducerThread() {
            let thread = PollThread(name: "kafka-producer-poll") { [self] thread in
                self.runProducerLoop(thread)
            }
            producerThread.withLock { $0 = thread }
        }

        /// Runs `body` with a handle while guaranteeing it is not destroyed meanwhile.
        func withHandle<T>(_ body: () throws(KafkaError) -> T) throws(KafkaError) -> T {
            try state.withLock { (state) throws(KafkaError) in try state.enter() }
            defer { state.withLock { $0.leave() } }
            return try body()
        }

        var isOnPollThread: Bool {
            if producerThread.withLock({ $0 })?.isCurrent == true { return true }
            return state.withLock { $0.activeConsumer }?.thread?.isCurrent == true
        }

        // MARK: Producer poll loop

        private func runProducerLoop(_ thread: PollThread) {
            let pollTimeout = configuration.pollInterval.timeoutMilliseconds
            let probeInterval = Duration.seconds(1)
            let clock = ContinuousClock()
            var lastProbe = clock.now - probeInterval
            var lastTokenCheck = clock.now
            var polled = RDKafkaClient.PolledEvents()
            while !thread.shouldStop {
                producer.pollEvents(timeoutMilliseconds: pollTimeout, maxEvents: configuration.maxBatchSize, into: &polled)
                dispatch(polled)
                polled.removeAll()
                if configuration.oauthBearerToken != nil, clock.now - lastTokenCheck >= KafkaSession.tokenCheckInterval {
                    lastTokenCheck = clock.now
                    producer.refreshToken()
                }
                // librdkafka signals "all brokers down" but not "back up": probe while not up.
                if !state.withLock({ $0.connection.isUp }), clock.now - lastProbe >= probeInterval {
                    lastProbe = clock.now
                    if producer.probeBrokers(timeoutMilliseconds: 250) {
                        connectionChanged(state.withLock { $0.brokersAnswered() })
                    }
                }
            }
        }

        /// Delivers one poll iteration's results: the whole report batch to
        /// `onDelivery`, then resumes `send` callers, then events.
        func dispatch(_ polled: RDKafkaClient.PolledEvents) {
            if !polled.reports.isEmpty {
                let action = state.withLock { $0.deliveryReportsArrived(polled.reports) }
                handlers.withLock { $0.onDelivery }?(polled.reports)
                for (waiter, report) in action.resume {
                    waiter.resume(returning: report)
                }
                connectionChanged(action.connectionChange)
            }
            for notification in polled.notifications {
                route(notification)
            }
        }

        /// Turns a librdkafka notification into public events (and connection state).
        func route(_ notification: RDKafkaNotification) {
            switch notification {
            case .error(let error):
                if error.code == .allBrokersDown {
                    connectionChanged(state.withLock { $0.allBrokersDown(reason: error.reason) })
                }
                logger.debug("librdkafka error: \(error)")
                emit(.error(error))
            case .fatal(let error):
                logger.error("librdkafka fatal error: \(error)")
                emit(.fatal(error))
            case .assigned(let partitions):
                logger.debug("partitions assigned: \(partitions)")
                emit(.partitionsAssigned(partitions))
            case .revoked(let partitions):
                logger.debug("partitions revoked: \(partitions)")
                emit(.partitionsRevoked(partitions))
            }
        }

        func connectionChanged(_ newState: ConnectionState?) {
            guard let newState else { return }
            logger.info("Kafka connection state: \(newState)")
            emit(.connectionStateChanged(newState))
        }

        func emit(_ event: KafkaEvent) {
            handlers.withLock { $0.onEvent }?(event)
        }

        // MARK: Shutdown

        /// Stops the consumer (leaving its group), flushes the producer for up to
        /// `flushTimeout` (then purges), destroys both handles and fails the
        /// remaining `send` callers. Blocking; idempotent.
        func shutdown(flushTimeout: Duration) {
            // Under consumerSetup so that no consumer is half-created meanwhile.
            let action = consumerSetup.withLock { _ in state.withLock { $0.startShutdown() } }
            guard case .shutDown(let consumer) = action else { return }
            // The consumer thread leaves the group (rd_kafka_consumer_close) and exits.
            consumer?.stopPolling()
            if !producer.flush(timeoutMilliseconds: flushTimeout.timeoutMilliseconds) {
                logger.warning("Kafka flush timed out with \(producer.outstandingCount) messages outstanding; purging")
                producer.purgeAll()
            }
            if let thread = producerThread.withLock({ $0 }) {
                thread.requestStop()
                producer.wakeUp()
                thread.join()
            }
            // Reports of purged messages, and anything that raced with the thread stop.
            var polled = RDKafkaClient.PolledEvents()
            for _ in 0..<10 {
                producer.pollEvents(timeoutMilliseconds: 10, maxEvents: configuration.maxBatchSize, into: &polled)
                dispatch(polled)
                polled.removeAll()
                if producer.outstandingCount == 0 { break }
            }
            // Wait for calls (admin, commit, produce) still inside a handle.
            while state.withLock({ $0.handleUsers }) > 0 {
                usleepMilliseconds(1)
            }
            // Consumer first: it may still hold librdkafka references to shared state.
            consumer?.destroy()
            producer.destroy()
            let remaining = state.withLock { $0.finishShutdown() }
            for (token, waiter) in remaining {
                waiter.resume(returning: DeliveryReport(
                    token: token, topic: "", partition: -1, offset: nil, result: .failed(.shutdown())
                ))
            }
        }
    }
}
