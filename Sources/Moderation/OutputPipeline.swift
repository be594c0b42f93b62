import Foundation
import KafkaClient
import Logging

/// Publishes the moderator's outputs without waiting for each batch's acknowledgements (so the
/// next message is moderated while the previous outputs are being made durable) and commits the
/// input offsets of a batch once it and every batch before it are acknowledged (``CommitOrder``).
/// Failed outputs are sent again after a pause, oldest first, by one retry task, and stay in their
/// batch, so nothing is committed past them; new batches wait meanwhile (outputs already in flight
/// may still land before a resent one). `publish` also blocks while more than `limit` outputs are
/// unacknowledged.
final class OutputPipeline: @unchecked Sendable {
    typealias Send = @Sendable (ModerationOutput) throws(KafkaError) -> UInt64
    typealias Commit = @Sendable ([TopicPartitionOffset]) -> Void

    private let condition = NSCondition()
    private var order = CommitOrder()
    private var unacknowledged: [UInt64: ModerationOutput] = [:]
    /// Failed outputs waiting to be sent again, by their failed token (send order).
    private var failed: [UInt64: ModerationOutput] = [:]
    private var retryScheduled = false
    private var stopped = false
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
        unacknowledged.reserveCapacity(min(limit, 1 << 16))
    }

    /// Publishes a batch's outputs; `offsets` are committed once they are all acknowledged.
    /// Returns false once stopped (the session is shutting down).
    @discardableResult
    func publish(_ outputs: [ModerationOutput], committing offsets: [TopicPartitionOffset]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while order.outstanding > limit || !failed.isEmpty, !stopped { condition.wait() }
        let batch = order.open(offsets: offsets)
        for output in outputs {
            // Registered before the lock can be let go, so its report always finds it.
            guard let token = sendLocked(output) else { return false }
            unacknowledged[token] = output
            order.add(token, to: batch)
        }
        // Commits are issued under the lock, so they reach the client in offset order.
        if let ready = order.close(batch) { commit(ready) }
        return true
    }

    /// Feeds delivery reports (the session's delivery handler).
    func resolve(_ reports: [DeliveryReport]) {
        condition.lock()
        defer { condition.unlock() }
        var acknowledged: [UInt64] = []
        for report in reports {
            guard let output = unacknowledged.removeValue(forKey: report.token) else { continue }
            if let error = report.error {
                logger.warning("moderator output to \(report.topic) not acknowledged (\(error)); sending it again")
                failed[report.token] = output
                scheduleRetry()
            } else {
                acknowledged.append(report.token)
            }
        }
        if let ready = order.acknowledge(acknowledged) { commit(ready) }
        condition.broadcast()
    }

    /// Stops publishing; a blocked `publish` returns.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    /// Sends until the client takes the message (waiting while its queue is full); nil once stopped.
    private func sendLocked(_ output: ModerationOutput) -> UInt64? {
        while !stopped {
            do {
                return try send(output)
            } catch {
                if error.code == .shutdown { stopped = true; break }
                if error.code != .queueFull { logger.warning("moderator publish failed: \(error); retrying") }
                condition.unlock()
                Thread.sleep(forTimeInterval: error.code == .queueFull ? 0.005 : 0.5)
                condition.lock()
            }
        }
        return nil
    }

    /// One retry task at a time; it resends every failed output, oldest first. Call locked.
    private func scheduleRetry() {
        guard !retryScheduled else { return }
        retryScheduled = true
        let seconds = Double(retryDelay.components.seconds) + Double(retryDelay.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            condition.lock()
            defer { condition.unlock() }
            retryScheduled = false
            for old in failed.keys.sorted() {
                guard let output = failed[old], let new = sendLocked(output) else { break }
                failed[old] = nil
                unacknowledged[new] = output
                order.replace(old, with: new)
            }
            condition.broadcast()
        }
    }
}
