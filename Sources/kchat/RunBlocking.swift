@preconcurrency import Dispatch
import Synchronization

/// Runs `body` to completion from synchronous code (a command whose main loop blocks its
/// thread, like the TUI's), waiting on a semaphore; never call it from an async context.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        result.withLock { $0 = outcome }
        done.signal()
    }
    done.wait()
    guard let outcome = result.withLock({ $0 }) else { preconditionFailure("runBlocking: signalled without a result") }
    return try outcome.get()
}
