extension KafkaSession {
    /// Enqueues a message without blocking and returns its delivery token. The
    /// outcome arrives later, batched, in the delivery handler as a
    /// ``DeliveryReport`` with the same token (also when the broker is down: after
    /// `messageTimeout` the report says `.failed(.timedOut)`).
    ///
    /// Throws only if librdkafka refuses to enqueue (queue full, message too large,
    /// invalid partition, shut down); such messages get no report.
    @discardableResult
    public func produce(
        topic: String,
        key: [UInt8]? = nil,
        value: [UInt8],
        headers: [KafkaHeader] = [],
        partition: Int32? = nil
    ) throws(KafkaError) -> UInt64 {
        try enqueue(topic: topic, key: key, value: value, headers: headers, partition: partition, waiter: nil)
    }

    /// ``produce(topic:key:value:headers:partition:)`` with UTF-8 text.
    @discardableResult
    public func produce(
        topic: String,
        key: String?,
        value: String,
        headers: [KafkaHeader] = [],
        partition: Int32? = nil
    ) throws(KafkaError) -> UInt64 {
        try produce(topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers, partition: partition)
    }

    /// Produces one message and waits for its delivery report (for scripts and
    /// tests; interactive code should use `produce` + the delivery handler).
    /// The report also reaches the delivery handler. Throws the delivery error if
    /// the message was not acknowledged.
    @discardableResult
    public func send(
        topic: String,
        key: [UInt8]? = nil,
        value: [UInt8],
        headers: [KafkaHeader] = [],
        partition: Int32? = nil
    ) async throws(KafkaError) -> DeliveryReport {
        let outcome: Swift.Result<DeliveryReport, KafkaError> = await withCheckedContinuation { continuation in
            do throws(KafkaError) {
                _ = try enqueue(topic: topic, key: key, value: value, headers: headers, partition: partition, waiter: continuation)
            } catch {
                continuation.resume(returning: DeliveryReport(
                    token: 0, topic: topic, partition: partition ?? -1, offset: nil, result: .failed(error)
                ))
            }
        }.flatMapResult()
        return try outcome.get()
    }

    /// ``send(topic:key:value:headers:partition:)`` with UTF-8 text.
    @discardableResult
    public func send(
        topic: String,
        key: String?,
        value: String,
        headers: [KafkaHeader] = [],
        partition: Int32? = nil
    ) async throws(KafkaError) -> DeliveryReport {
        try await send(topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers, partition: partition)
    }

    /// Blocks until every enqueued message has its delivery report, or `timeout`
    /// passes. Returns false on timeout.
    @discardableResult
    public func flush(timeout: Duration) throws(KafkaError) -> Bool {
        try core.withHandle { () throws(KafkaError) in
            core.producer.flush(timeoutMilliseconds: timeout.timeoutMilliseconds)
        }
    }

    /// ``flush(timeout:)`` without blocking the caller's cooperative thread.
    @discardableResult
    public func flush(timeout: Duration) async throws(KafkaError) -> Bool {
        let core = self.core
        return try await runBlocking(name: "kafka-flush") { () throws(KafkaError) -> Bool in
            try core.withHandle { () throws(KafkaError) in
                core.producer.flush(timeoutMilliseconds: timeout.timeoutMilliseconds)
            }
        }
    }

    /// Messages enqueued but not yet reported (plus librdkafka's own pending requests).
    public var outstandingMessages: Int {
        (try? core.withHandle { () throws(KafkaError) in core.producer.outstandingCount }) ?? 0
    }

    private func enqueue(
        topic: String,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader],
        partition: Int32?,
        waiter: CheckedContinuation<DeliveryReport, Never>?
    ) throws(KafkaError) -> UInt64 {
        let token = try core.state.withLock { (state) throws(KafkaError) in try state.reserveToken(waiter: waiter) }
        defer { core.state.withLock { $0.leave() } }
        do {
            try core.producer.produce(topic: topic, partition: partition, key: key, value: value, headers: headers, token: token)
        } catch {
            _ = core.state.withLock { $0.produceFailed(token: token) }
            throw error
        }
        return token
    }
}

extension DeliveryReport {
    /// `.acknowledged` as success, `.failed` as the error.
    fileprivate func flatMapResult() -> Swift.Result<DeliveryReport, KafkaError> {
        switch result {
        case .acknowledged: return .success(self)
        case .failed(let error): return .failure(error)
        }
    }
}
