@preconcurrency import Dispatch
import Foundation

/// Runs `handler` once when one of `signals` arrives.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}

/// Runs `body` in a task that is cancelled on SIGINT or SIGTERM.
func runUntilSignalled(_ body: @escaping @Sendable () async throws -> Void) async throws {
    let task = Task { try await body() }
    let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { task.cancel() }
    defer { _ = watcher }
    do {
        try await task.value
    } catch is CancellationError {
        return
    }
}
