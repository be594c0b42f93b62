extension KafkaSession {
    /// Joins consumer group `groupID` for `topics` (partitions are balanced among
    /// the group's members) and hands every polled batch to `onMessages` on the
    /// consumer thread. Calling it again (same group) replaces topics and handler.
    /// Offsets are auto-committed unless `configuration.enableAutoCommit` is false.
    public func subscribe(
        topics: [String],
        groupID: String,
        onMessages: @escaping @Sendable ([ConsumedMessage]) -> Void
    ) throws(KafkaError) {
        try subscribe(topics: topics, groupID: groupID, sink: .copying(onMessages))
    }

    /// ``subscribe(topics:groupID:onMessages:)`` handing out each poll as a ``KafkaMessageBatch``:
    /// views over librdkafka's buffers instead of copies (the consumer's fastest path).
    @_disfavoredOverload  // a trailing closure means the `[ConsumedMessage]` handler; say `onBatch:`
    public func subscribe(
        topics: [String],
        groupID: String,
        onBatch: @escaping @Sendable (KafkaMessageBatch) -> Void
    ) throws(KafkaError) {
        try subscribe(topics: topics, groupID: groupID, sink: MessageSink(deliver: onBatch, finish: {}))
    }

    /// ``subscribe(topics:groupID:onMessages:)`` as an `AsyncSequence` of batches.
    /// The sequence ends when the session shuts down or the subscription is replaced.
    public func subscribe(topics: [String], groupID: String) throws(KafkaError) -> KafkaMessageBatches {
        let (batches, sink) = KafkaMessageBatches.make()
        try subscribe(topics: topics, groupID: groupID, sink: sink)
        return batches
    }

    /// Reads exactly these partitions from the given offsets, without group
    /// membership (nothing is committed unless you call `commit`). Calling it again
    /// replaces the assignment and handler.
    public func assign(
        _ partitions: [TopicPartitionOffset],
        onMessages: @escaping @Sendable ([ConsumedMessage]) -> Void
    ) throws(KafkaError) {
        try assign(partitions, sink: .copying(onMessages))
    }

    /// ``assign(_:onMessages:)`` handing out each poll as a ``KafkaMessageBatch`` (no copies).
    @_disfavoredOverload  // a trailing closure means the `[ConsumedMessage]` handler; say `onBatch:`
    public func assign(
        _ partitions: [TopicPartitionOffset],
        onBatch: @escaping @Sendable (KafkaMessageBatch) -> Void
    ) throws(KafkaError) {
        try assign(partitions, sink: MessageSink(deliver: onBatch, finish: {}))
    }

    /// Adds partitions to the assignment made by `assign` (same handler): the partitions already
    /// assigned are not reset, nothing already fetched is read again (a topic that appeared
    /// later, e.g. a user's inbox). Throws `.invalidState` before `assign` or after `subscribe`.
    public func addToAssignment(_ partitions: [TopicPartitionOffset]) throws(KafkaError) {
        try core.consumerSetup.withLock { (_) throws(KafkaError) in
            let runtime = try activeConsumer()
            guard runtime.mode == .manual else {
                throw KafkaError.invalidState("addToAssignment needs a consumer that uses assign")
            }
            try core.withHandle { () throws(KafkaError) in try runtime.client.incrementalAssign(partitions) }
        }
    }

    /// ``assign(_:onMessages:)`` as an `AsyncSequence` of batches.
    public func assign(_ partitions: [TopicPartitionOffset]) throws(KafkaError) -> KafkaMessageBatches {
        let (batches, sink) = KafkaMessageBatches.make()
        try assign(partitions, sink: sink)
        return batches
    }

    /// Commits offsets and waits for the broker's answer. `nil` commits the current
    /// position of every assigned partition (everything handed out so far).
    /// Offsets are the *next* offset to read (last processed + 1); see
    /// ``commitOffsets(after:)``.
    public func commit(_ offsets: [TopicPartitionOffset]? = nil) throws(KafkaError) {
        let runtime = try activeConsumer()
        try core.withHandle { () throws(KafkaError) in try runtime.client.commit(offsets, async: false) }
    }

    /// ``commit(_:)`` without blocking the caller's cooperative thread.
    public func commit(_ offsets: [TopicPartitionOffset]? = nil) async throws(KafkaError) {
        let runtime = try activeConsumer()
        let core = self.core
        try await runBlocking(name: "kafka-commit") { () throws(KafkaError) in
            try core.withHandle { () throws(KafkaError) in try runtime.client.commit(offsets, async: false) }
        }
    }

    /// Starts a commit and returns at once; failures are reported as `.error` events.
    public func scheduleCommit(_ offsets: [TopicPartitionOffset]? = nil) throws(KafkaError) {
        let runtime = try activeConsumer()
        try core.withHandle { () throws(KafkaError) in try runtime.client.commit(offsets, async: true) }
    }

    /// The group's committed offsets (next offset to read) for these partitions;
    /// partitions without a committed offset are absent.
    public func committedOffsets(
        for partitions: [TopicPartition],
        timeout: Duration = .seconds(5)
    ) throws(KafkaError) -> [TopicPartition: Int64] {
        let runtime = try activeConsumer()
        return try core.withHandle { () throws(KafkaError) in
            try runtime.client.committed(partitions, timeoutMilliseconds: timeout.timeoutMilliseconds)
        }
    }

    /// The offsets to commit after processing `messages`: per partition, the highest offset + 1.
    public static func commitOffsets(after messages: [ConsumedMessage]) -> [TopicPartitionOffset] {
        commitOffsets(after: messages.lazy.map { ($0.topic, $0.partition, $0.offset) })
    }

    /// ``commitOffsets(after:)-(ConsumedMessage)`` for a batch of views.
    public static func commitOffsets(after batch: KafkaMessageBatch) -> [TopicPartitionOffset] {
        commitOffsets(after: batch.lazy.map { ($0.topic, $0.partition, $0.offset) })
    }

    private static func commitOffsets(
        after positions: some Sequence<(topic: String, partition: Int32, offset: Int64)>
    ) -> [TopicPartitionOffset] {
        var next: [TopicPartition: Int64] = [:]
        for (topic, partition, offset) in positions {
            let key = TopicPartition(topic: topic, partition: partition)
            next[key] = max(next[key] ?? 0, offset + 1)
        }
        return next.map { TopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: .offset($0.value)) }
            .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }

    /// The consumer group id in use, nil before the first subscribe/assign.
    public var consumerGroupID: String? {
        core.state.withLock { $0.activeConsumer }?.groupID
    }

    // MARK: - Internals

    private func subscribe(topics: [String], groupID: String, sink: MessageSink) throws(KafkaError) {
        guard !topics.isEmpty else { throw KafkaError.invalidArgument("subscribe needs at least one topic") }
        guard !groupID.isEmpty else { throw KafkaError.invalidArgument("subscribe needs a group id") }
        try core.consumerSetup.withLock { (_) throws(KafkaError) in
            let runtime = try consumer(for: .group(groupID))
            runtime.setSink(sink)
            try core.withHandle { () throws(KafkaError) in try runtime.client.subscribe(topics: topics) }
        }
    }

    private func assign(_ partitions: [TopicPartitionOffset], sink: MessageSink) throws(KafkaError) {
        try core.consumerSetup.withLock { (_) throws(KafkaError) in
            let runtime = try consumer(for: .manual)
            runtime.setSink(sink)
            try core.withHandle { () throws(KafkaError) in try runtime.client.assign(partitions) }
        }
    }

    private func activeConsumer() throws(KafkaError) -> ConsumerRuntime {
        guard let runtime = core.state.withLock({ $0.activeConsumer }) else {
            throw KafkaError.invalidState("no consumer: call subscribe or assign first")
        }
        return runtime
    }
}
