import KafkaClient

/// Spaces the moderator's offset commits out. Each commit costs the broker an fsync of the
/// offsets (with fsync on), and Kafka answers one connection's requests in order: librdkafka sends
/// a consumer's commits and its fetches over the same broker connection, so the fetch after a
/// commit waits for that fsync. Committing after every batch put an fsync in front of nearly
/// every message at 1,000 msg/s (`e2e_bench.py`: send → moderator produce p50 4 ms with fsync,
/// 0 ms without). Pure; ``ModeratorService`` feeds it the pipeline's in-order commits and asks
/// what is due on a short tick.
///
/// Offsets become due once `interval` has passed since the oldest pending commit (a steady
/// stream commits once per interval), or once nothing new arrived for `idle` (the end of a
/// backlog or a quiet chat commits at once). A crash replays at most what was not committed
/// yet; the engine's idempotency keeps warnings single and copies keep their message ids.
struct CommitCoalescer {
    let interval: Duration
    let idle: Duration
    private var pending: [TopicPartition: Int64] = [:]
    private var oldest: ContinuousClock.Instant?
    private var newest: ContinuousClock.Instant?

    init(interval: Duration = .seconds(1), idle: Duration = .milliseconds(20)) {
        self.interval = interval
        self.idle = idle
    }

    var isEmpty: Bool { pending.isEmpty }

    /// Offsets the pipeline may commit (the next offsets to read), arriving at `now`.
    mutating func add(_ offsets: [TopicPartitionOffset], at now: ContinuousClock.Instant) {
        for entry in offsets {
            guard case .offset(let value) = entry.offset else { continue }
            let key = TopicPartition(topic: entry.topic, partition: entry.partition)
            pending[key] = max(pending[key] ?? value, value)
        }
        guard !pending.isEmpty else { return }
        if oldest == nil { oldest = now }
        newest = now
    }

    /// What to commit at `now`, if anything is due (and then nothing is pending any more).
    mutating func due(at now: ContinuousClock.Instant) -> [TopicPartitionOffset]? {
        guard let oldest, let newest else { return nil }
        guard now - oldest >= interval || now - newest >= idle else { return nil }
        return flush()
    }

    /// Everything pending, due or not (at shutdown).
    mutating func flush() -> [TopicPartitionOffset]? {
        defer {
            pending = [:]
            oldest = nil
            newest = nil
        }
        guard !pending.isEmpty else { return nil }
        return pending.map { TopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: .offset($0.value)) }
            .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
