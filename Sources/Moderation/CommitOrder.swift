import KafkaClient

/// Turns acknowledgements of published outputs into commits, in order: the input offsets of batch
/// *i* may be committed once every output of batches 0...*i* is acknowledged. Pure; the
/// ``OutputPipeline`` feeds it tokens (from `produce`) as it publishes, and delivery reports.
///
/// One hash-map entry per output in flight (token → batch); a batch only counts its outputs, and
/// batches are kept in publish order in an array (no per-output set, no map of batches).
struct CommitOrder {
    private struct Batch {
        var waiting = 0
        var offsets: [TopicPartitionOffset]
        var closed = false
    }

    /// Batches `first`, `first + 1`, … not yet committed (`batches[i - first]` is batch `i`).
    private var batches: [Batch] = []
    /// Index into `batches` of batch `first` (the array is compacted now and then, not per batch).
    private var head = 0
    private var first = 0
    private var owner: [UInt64: Int] = [:]

    init() {
        owner.reserveCapacity(1024)
    }

    /// Outputs published and not yet acknowledged.
    var outstanding: Int { owner.count }

    /// Starts a batch whose input is committed at `offsets` (the next offsets to read).
    mutating func open(offsets: [TopicPartitionOffset]) -> Int {
        batches.append(Batch(offsets: offsets.filter { if case .offset = $0.offset { true } else { false } }))
        return first + batches.count - head - 1
    }

    /// One more output of `batch` was published under `token`.
    mutating func add(_ token: UInt64, to batch: Int) {
        guard let index = slot(batch) else { return }
        batches[index].waiting += 1
        owner[token] = batch
    }

    /// Every output of `batch` is published. Returns what became committable (a batch without
    /// outputs at the head is at once).
    mutating func close(_ batch: Int) -> [TopicPartitionOffset]? {
        guard let index = slot(batch) else { return nil }
        batches[index].closed = true
        return committable()
    }

    /// Records acknowledged outputs (one delivery-report batch); returns what became committable,
    /// merged into one commit.
    mutating func acknowledge(_ tokens: [UInt64]) -> [TopicPartitionOffset]? {
        for token in tokens {
            guard let batch = owner.removeValue(forKey: token), let index = slot(batch) else { continue }
            batches[index].waiting -= 1
        }
        return committable()
    }

    /// A failed output sent again under a new token stays in its batch.
    mutating func replace(_ old: UInt64, with new: UInt64) {
        guard let batch = owner.removeValue(forKey: old) else { return }
        owner[new] = batch
    }

    private func slot(_ batch: Int) -> Int? {
        let index = head + (batch - first)
        return batch >= first && index < batches.count ? index : nil
    }

    private mutating func committable() -> [TopicPartitionOffset]? {
        guard head < batches.count, batches[head].closed, batches[head].waiting == 0 else { return nil }
        var merged: [TopicPartition: Int64] = [:]
        while head < batches.count, batches[head].closed, batches[head].waiting == 0 {
            for entry in batches[head].offsets {
                guard case .offset(let value) = entry.offset else { continue }
                let key = TopicPartition(topic: entry.topic, partition: entry.partition)
                merged[key] = max(merged[key] ?? value, value)
            }
            head += 1
            first += 1
        }
        // Drop the committed prefix once it is at least half the array (amortised O(1) per batch).
        if head > 64, head * 2 >= batches.count {
            batches.removeFirst(head)
            head = 0
        }
        guard !merged.isEmpty else { return nil }
        return merged.map { TopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: .offset($0.value)) }
            .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
