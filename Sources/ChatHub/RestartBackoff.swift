/// How long a part waits before it starts again after a failure: `first`, doubling with each
/// failure in a row up to `limit`; `reset()` once the part made progress again.
struct RestartBackoff: Sendable, Equatable {
    let first: Duration
    let limit: Duration
    private(set) var failures = 0

    init(first: Duration = .milliseconds(500), limit: Duration = .seconds(30)) {
        precondition(first > .zero && limit >= first, "RestartBackoff needs 0 < first <= limit")
        self.first = first
        self.limit = limit
    }

    /// The wait before the next start; counts one more failure.
    mutating func next() -> Duration {
        // Doubling stops once past the limit, so the exponent never overflows.
        var delay = first
        for _ in 0..<failures where delay < limit { delay *= 2 }
        failures += 1
        return min(delay, limit)
    }

    mutating func reset() {
        failures = 0
    }
}
