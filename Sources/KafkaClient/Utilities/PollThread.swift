import Foundation
import Synchronization

/// A dedicated OS thread running a poll loop (librdkafka calls block, so they must
/// not run on Swift's cooperative pool).
final class PollThread: Sendable {
    let name: String
    private let stopRequested = Atomic<Bool>(false)
    private let finished = Mutex<Bool>(false)
    private let finishedSignal = DispatchSemaphore(value: 0)
    private let threadID = Mutex<pthread_t?>(nil)

    /// Starts the thread; `body` runs once and should loop until ``shouldStop``.
    init(name: String, body: @escaping @Sendable (PollThread) -> Void) {
        self.name = name
        let thread = Thread { [self] in
            self.threadID.withLock { $0 = pthread_self() }
            body(self)
            self.finished.withLock { $0 = true }
            self.finishedSignal.signal()
        }
        thread.name = name
        thread.start()
    }

    var shouldStop: Bool {
        stopRequested.load(ordering: .acquiring)
    }

    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// True when called from this poll thread (e.g. from inside a handler).
    var isCurrent: Bool {
        guard let id = threadID.withLock({ $0 }) else { return false }
        return pthread_equal(id, pthread_self()) != 0
    }

    /// Waits for the loop to return. Must not be called from the thread itself.
    func join() {
        precondition(!isCurrent, "PollThread \(name) cannot join itself")
        if finished.withLock({ $0 }) { return }
        finishedSignal.wait()
        finishedSignal.signal()  // later joins return at once too
    }
}

/// Runs a blocking librdkafka call on a fresh thread and awaits it, keeping the
/// cooperative pool free (admin calls, synchronous commits, shutdown).
func runBlocking<T: Sendable>(
    name: String,
    _ body: @escaping @Sendable () throws(KafkaError) -> T
) async throws(KafkaError) -> T {
    let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: Result { () throws(KafkaError) -> T in try body() })
        }
        thread.name = name
        thread.start()
    }
    return try result.get()
}

/// Sleeps the current OS thread.
func usleepMilliseconds(_ milliseconds: Int) {
    var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    var remaining = timespec()
    _ = nanosleep(&request, &remaining)
}
