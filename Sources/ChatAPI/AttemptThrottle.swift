import Synchronization

/// Attempts per client address, as a token bucket each: `burst` at once, then one more every
/// `interval`. Guards login and registration against password guessing and name squatting.
/// Memory is bounded: past `maxClients` addresses, the idle (full) buckets are dropped first,
/// then the least recently used.
final class AttemptThrottle: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let burst: Int
    let interval: Duration
    let maxClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(burst: Int, interval: Duration, maxClients: Int = 10_000) {
        self.burst = max(1, burst)
        self.interval = interval > .zero ? interval : .seconds(1)
        self.maxClients = max(1, maxClients)
    }

    /// Takes one attempt for `client`: nil when allowed, else how long until the next one is.
    func take(_ client: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let perSecond = 1 / (Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
        return buckets.withLock { buckets -> Duration? in
            var bucket = buckets[client] ?? Bucket(tokens: Double(burst), updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(burst), bucket.tokens + max(0, seconds) * perSecond)
            bucket.updated = now
            defer {
                buckets[client] = bucket
                if buckets.count > maxClients { Self.shrink(&buckets, to: maxClients, burst: Double(burst)) }
            }
            guard bucket.tokens >= 1 else { return .seconds((1 - bucket.tokens) / perSecond) }
            bucket.tokens -= 1
            return nil
        }
    }

    private static func shrink(_ buckets: inout [String: Bucket], to limit: Int, burst: Double) {
        buckets = buckets.filter { $0.value.tokens < burst }
        guard buckets.count > limit else { return }
        let keep = buckets.sorted { $0.value.updated > $1.value.updated }.prefix(limit / 2)
        buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
