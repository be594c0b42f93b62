import KafkaClient

/// Turns acknowledgements of published outputs into commits, in order: the input offsets of batch
/// *i* may be committed once every output of batches 0...*i* is acknowledged. Pure; the
/// ``OutputPipeline`` feeds it tokens (from `produce`) as it publishes, and delivery reports.
struct CommitOrder {
    private struct Batch {
        var waiting: Set<UInt64> = []
        var offsets: [TopicPartition: Int64]
        var closed = false
    }

    private var batches: [Int: Batch] = [:]
    private var first = 0
    private var next = 0
    private var owner: [UInt64: Int] = [:]

    /// Outputs published and not yet acknowledged.
    var outstanding: Int { owner.count }

    /// Starts a batch whose input is committed at `offsets` (the next offsets to read).
    mutating func open(offsets: [TopicPartitionOffset]) -> Int {
        var next: [TopicPartition: Int64] = [:]
        for entry in offsets {
            guard case .offset(let value) = entry.offset else { continue }
            next[TopicPartition(topic: entry.topic, partition: entry.partition)] = value
        }
        batches[self.next] = Batch(offsets: next)
        defer { self.next += 1 }
        return self.next
    }

    /// One more output of `batch` was published under `token`.
    mutating func add(_ token: UInt64, to batch: Int) {
        batches[batch]?.waiting.insert(token)
        owner[token] = batch
    }

    /// Every output of `batch` is published. Returns what became committable (a batch without
    /// outputs at the head is at once).
    mutating func close(_ batch: Int) -> [TopicPartitionOffset]? {
        batches[batch]?.closed = true
        return committable()
    }

    /// Records acknowledged outputs (one delivery-report batch); returns what became committable,
    /// merged into one commit.
    mutating func acknowledge(_ tokens: [UInt64]) -> [TopicPartitionOffset]? {
        for token in tokens {
            guard let batch = owner.removeValue(forKey: token) else { continue }
            batches[batch]?.waiting.remove(token)
        }
        return committable()
    }

    /// A failed output sent again under a new token stays in its batch.
    mutating func replace(_ old: UInt64, with new: UInt64) {
        guard let batch = owner.removeValue(forKey: old) else { return }
        batches[batch]?.waiting.remove(old)
        batches[batch]?.waiting.insert(new)
        owner[new] = batch
    }

    private mutating func committable() -> [TopicPartitionOffset]? {
        var merged: [TopicPartition: Int64] = [:]
        while first < next, let batch = batches[first], batch.closed, batch.waiting.isEmpty {
            merged.merge(batch.offsets, uniquingKeysWith: max)
            batches[first] = nil
            first += 1
        }
        guard !merged.isEmpty else { return nil }
        return merged.map { TopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: .offset($0.value)) }
            .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
