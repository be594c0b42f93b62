extension KafkaSession {
    /// Moves the read position of partitions that `assign` (or `addToAssignment`) gave this
    /// session's consumer: the next records handed to the handler for each come from its new
    /// offset (backwards to re-read older records, forwards to skip). It does not wait: records
    /// fetched from the old position may still arrive in a batch handed out meanwhile, so a
    /// caller that seeks tells old from new by offset. Throws `.invalidState` without such a
    /// consumer (before `assign`, or after `subscribe`).
    public func seek(_ partitions: [TopicPartitionOffset]) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        try core.consumerSetup.withLock { (_) throws(KafkaError) in
            guard let runtime = core.state.withLock({ $0.activeConsumer }) else {
                throw KafkaError.invalidState("seek needs a consumer: call assign first")
            }
            guard runtime.mode == .manual else {
                throw KafkaError.invalidState("seek needs a consumer that uses assign")
            }
            try core.withHandle { () throws(KafkaError) in try runtime.client.seek(partitions) }
        }
    }
}
