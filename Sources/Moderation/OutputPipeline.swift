import Dispatch
import Foundation
import KafkaClient
import Logging
import Synchronization

/// Publishes the moderator's outputs without waiting for each batch's acknowledgements (so the
/// next message is moderated while the previous outputs are being made durable) and commits the
/// input offsets of a batch once it and every batch before it are acknowledged (``CommitOrder``).
/// Failed outputs are sent again after a pause, oldest first, by one retry task, and stay in their
/// batch, so nothing is committed past them; new batches wait meanwhile (outputs already in flight
/// may still land before a resent one). `publish` also blocks while more than `limit` outputs are
/// unacknowledged.
///
/// One `Mutex` holds the state; an output is sent and registered in one critical section, so its
/// delivery report always finds it. A blocked `publish` sleeps on a semaphore that is signalled
/// once per waiter whenever acknowledgements, retries or `stop` change what it waits for.
final class OutputPipeline: Sendable {
    typealias Send = @Sendable (ModerationOutput) throws(KafkaError) -> UInt64
    typealias Commit = @Sendable ([TopicPartitionOffset]) -> Void

    private struct State {
        var order = CommitOrder()
        var unacknowledged: [UInt64: ModerationOutput] = [:]
        /// Failed outputs waiting to be sent again, by their failed token (send order).
        var failed: [UInt64: ModerationOutput] = [:]
        var retryScheduled = false
        var stopped = false
        /// `publish` calls sleeping on `wakeups`.
        var waiting = 0
    }

    /// What one attempt to send an output came to.
    private enum Attempt {
        case sent(token: UInt64)
        case stopped
        /// The client's queue is full or the send failed: try again after this many seconds.
        case later(Double)
    }

    private let state: Mutex<State>
    private let wakeups = DispatchSemaphore(value: 0)
    private let limit: Int
    private let retryDelay: Duration
    private let send: Send
    private let commit: Commit
    private let logger: Logger

    init(limit: Int = 10_000, retryDelay: Duration = .milliseconds(500), logger: Logger,
         send: @escaping Send, commit: @escaping Commit) {
        self.limit = limit
        self.retryDelay = retryDelay
        self.logger = logger
        self.send = send
        self.commit = commit
        var initial = State()
        initial.unacknowledged.reserveCapacity(min(limit, 1 << 16))
        state = Mutex(initial)
    }

    /// Publishes a batch's outputs; `offsets` are committed once they are all acknowledged.
    /// Returns false once stopped (the session is shutting down).
    @discardableResult
    func publish(_ outputs: [ModerationOutput], committing offsets: [TopicPartitionOffset]) -> Bool {
        // Wait while too much is unacknowledged or failed outputs wait to be resent.
        while true {
            let go = state.withLock { state -> Bool? in
                if state.stopped { return nil }
                if state.order.outstanding > limit || !state.failed.isEmpty {
                    state.waiting += 1
                    return false
                }
                return true
            }
            guard let go else { return false }
            if go { break }
            wakeups.wait()
        }
        let batch = state.withLock { $0.order.open(offsets: offsets) }
        for output in outputs {
            sending: while true {
                let attempt = state.withLock { state -> Attempt in
                    let attempt = trySend(output, &state)
                    if case .sent(let token) = attempt {
                        state.unacknowledged[token] = output
                        state.order.add(token, to: batch)
                    }
                    return attempt
                }
                switch attempt {
                case .sent: break sending
                case .stopped: return false
                case .later(let seconds): Thread.sleep(forTimeInterval: seconds)
                }
            }
        }
        // Commits are issued under the lock, so they reach the client in offset order.
        state.withLock { state in
            if let ready = state.order.close(batch) { commit(ready) }
        }
        return true
    }

    /// Feeds delivery reports (the session's delivery handler).
    func resolve(_ reports: [DeliveryReport]) {
        let waiting = state.withLock { state -> Int in
            var acknowledged: [UInt64] = []
            for report in reports {
                guard let output = state.unacknowledged.removeValue(forKey: report.token) else { continue }
                if let error = report.error {
                    logger.warning("moderator output to \(report.topic) not acknowledged (\(error)); sending it again")
                    state.failed[report.token] = output
                    scheduleRetry(&state)
                } else {
                    acknowledged.append(report.token)
                }
            }
            if let ready = state.order.acknowledge(acknowledged) { commit(ready) }
            return Self.takeWaiting(&state)
        }
        wake(waiting)
    }

    /// Stops publishing; a blocked `publish` returns.
    func stop() {
        wake(state.withLock { state in
            state.stopped = true
            return Self.takeWaiting(&state)
        })
    }

    /// One try to hand `output` to the client, under the lock.
    private func trySend(_ output: ModerationOutput, _ state: inout State) -> Attempt {
        guard !state.stopped else { return .stopped }
        do throws(KafkaError) {
            return .sent(token: try send(output))
        } catch {
            if error.code == .shutdown {
                state.stopped = true
                return .stopped
            }
            if error.code != .queueFull { logger.warning("moderator publish failed: \(error); retrying") }
            return .later(error.code == .queueFull ? 0.005 : 0.5)
        }
    }

    private static func takeWaiting(_ state: inout State) -> Int {
        defer { state.waiting = 0 }
        return state.waiting
    }

    private func wake(_ waiting: Int) {
        for _ in 0..<waiting { wakeups.signal() }
    }

    /// One retry task at a time; it resends every failed output, oldest first. Call locked.
    private func scheduleRetry(_ state: inout State) {
        guard !state.retryScheduled else { return }
        state.retryScheduled = true
        let seconds = Double(retryDelay.components.seconds) + Double(retryDelay.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            retryFailed()
        }
    }

    /// Resends the failed outputs, oldest first, until all are sent or one must wait (then again later).
    private func retryFailed() {
        while true {
            let next = state.withLock { state -> Attempt? in
                guard let old = state.failed.keys.min(), let output = state.failed[old] else {
                    state.retryScheduled = false
                    return nil
                }
                let attempt = trySend(output, &state)
                switch attempt {
                case .sent(let new):
                    state.failed[old] = nil
                    state.unacknowledged[new] = output
                    state.order.replace(old, with: new)
                case .stopped:
                    state.retryScheduled = false
                case .later:
                    break
                }
                return attempt
            }
            switch next {
            case nil, .stopped?:
                wake(state.withLock { Self.takeWaiting(&$0) })
                return
            case .sent?:
                continue
            case .later(let seconds)?:
                Thread.sleep(forTimeInterval: seconds)
            }
        }
    }
}
