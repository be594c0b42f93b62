import ArgumentParser
@preconcurrency import Dispatch
import Foundation
import Logging
import Synchronization

extension Logger.Level: @retroactive ExpressibleByArgument {}

enum DataDirectory {
    /// `$KCHAT_DATA`, else `$XDG_STATE_HOME/kchat`, else `~/.local/state/kchat`.
    static var `default`: String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["KCHAT_DATA"], !dir.isEmpty { return dir }
        if let state = env["XDG_STATE_HOME"], !state.isEmpty { return "\(state)/kchat" }
        return "\(NSHomeDirectory())/.local/state/kchat"
    }
}

enum HostPort {
    static func parse(_ text: String, defaultPort: Int) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else { return (text, defaultPort) }
        let host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {  // safe: failable parse of text
            throw ValidationError("'\(text)' is not HOST:PORT")
        }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}

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

extension Logger {
    /// Library logging for scriptable commands: only critical problems, so that a failure is the
    /// command's own one-line error.
    static var quiet: Logger {
        var logger = Logger(label: "kchat")
        logger.logLevel = .critical
        return logger
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
