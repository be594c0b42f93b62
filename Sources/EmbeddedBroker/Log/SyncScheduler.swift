import NIOCore
import NIOPosix
import Synchronization

/// A file that one call makes durable (`fdatasync`).
protocol DurableFile: AnyObject, Sendable {
    func sync() throws
}

/// Group commit. `fdatasync` runs on one dedicated thread, never on an event loop, so a slow disk
/// does not stall the fetches and heartbeats of every connection sharing the loop. Requests that
/// arrive while a round of syncs runs are served together by the next round: N producers waiting
/// on the same file pay for one `fdatasync`, not N. A request is answered only by a sync that
/// started after it was made, so everything written before the request is on disk. A file whose
/// sync failed fails every later sync too: Linux reports a writeback error once and may drop the
/// dirty pages, so a later "successful" sync would acknowledge lost writes (as PostgreSQL and
/// Kafka do, the data stays unacknowledged until a restart re-reads and recovers the log).
final class SyncScheduler: Sendable {
    private struct Waiting {
        var file: any DurableFile
        var promises: [EventLoopPromise<Void>]
    }

    private struct State {
        var waiting: [ObjectIdentifier: Waiting] = [:]
        var roundScheduled = false
        var rounds = 0
        var stopped = false
        /// Files whose sync failed (held, so their identifiers are not reused).
        var failed: [ObjectIdentifier: (file: any DurableFile, error: any Error)] = [:]
    }

    private let pool = NIOThreadPool(numberOfThreads: 1)
    private let state = Mutex(State())

    init() {
        pool.start()
    }

    /// Rounds of syncs run so far (each round syncs every file that was waiting once).
    var rounds: Int { state.withLock { $0.rounds } }

    /// Succeeds once `file` was synced by a round that started after this call.
    func sync(_ file: any DurableFile, on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let schedule = state.withLock { state -> Result<Bool, any Error> in
            guard !state.stopped else { return .failure(BrokerError(.io, "the broker is shutting down")) }
            if let failed = state.failed[ObjectIdentifier(file)] { return .failure(failed.error) }
            state.waiting[ObjectIdentifier(file), default: Waiting(file: file, promises: [])].promises.append(promise)
            let first = !state.roundScheduled
            state.roundScheduled = true
            return .success(first)
        }
        switch schedule {
        case .failure(let error):
            promise.fail(error)
        case .success(true):
            pool.submit { [self] work in
                if case .active = work { runRounds() } else { failWaiting() }
            }
        case .success(false):
            break
        }
        return promise.futureResult
    }

    /// Syncs every file in `files` (each once) and succeeds when all are durable.
    func sync(_ files: [any DurableFile], on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        var seen = Set<ObjectIdentifier>()
        let unique = files.filter { seen.insert(ObjectIdentifier($0)).inserted }
        return EventLoopFuture.andAllSucceed(unique.map { sync($0, on: eventLoop) }, on: eventLoop)
    }

    /// Serves what is waiting, then stops; later requests fail.
    func shutdown() async {
        state.withLock { $0.stopped = true }
        try? await pool.shutdownGracefully()
        // The pool ran the last round, or failed it as cancelled; anything left fails.
        failWaiting()
    }

    private func failWaiting() {
        let left = state.withLock { state in
            defer {
                state.waiting.removeAll()
                state.roundScheduled = false
            }
            return state.waiting.values.flatMap(\.promises)
        }
        for promise in left { promise.fail(BrokerError(.io, "the broker is shutting down")) }
    }

    /// Runs rounds until nothing waits. Only one `runRounds` is scheduled at a time.
    private func runRounds() {
        while true {
            let round = state.withLock { state -> [Waiting] in
                let round = Array(state.waiting.values)
                state.waiting.removeAll(keepingCapacity: true)
                if round.isEmpty { state.roundScheduled = false } else { state.rounds += 1 }
                return round
            }
            guard !round.isEmpty else { return }
            for waiting in round {
                do {
                    try waiting.file.sync()
                    for promise in waiting.promises { promise.succeed() }
                } catch {
                    state.withLock { $0.failed[ObjectIdentifier(waiting.file)] = (waiting.file, error) }
                    for promise in waiting.promises { promise.fail(error) }
                }
            }
        }
    }
}
