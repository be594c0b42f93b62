import Synchronization

/// A thread-safe increasing counter.
final class ManagedAtomicCounter: Sendable {
    private let value: Atomic<UInt64>

    init(start: UInt64) { value = Atomic(start) }

    func next() -> UInt64 { value.wrappingAdd(1, ordering: .relaxed).newValue }
}
