import Foundation
import KafkaClient

/// Waits for the delivery reports of one batch of produced messages. Reports arrive on the
/// session's poll thread, possibly before `expect` saw the token, so early ones are kept.
final class PendingAcks: @unchecked Sendable {
    private let condition = NSCondition()
    private var outstanding: Set<UInt64> = []
    private var early: [UInt64: KafkaError?] = [:]
    private var failures: [KafkaError] = []

    /// Starts a new batch.
    func reset() {
        condition.withLock {
            outstanding.removeAll()
            failures.removeAll()
        }
    }

    func expect(_ token: UInt64) {
        condition.withLock {
            if let report = early.removeValue(forKey: token) {
                if let report { failures.append(report) }
            } else {
                outstanding.insert(token)
            }
        }
    }

    /// Called by the delivery handler.
    func resolve(_ reports: [DeliveryReport]) {
        condition.withLock {
            for report in reports {
                if outstanding.remove(report.token) != nil {
                    if let error = report.error { failures.append(error) }
                } else {
                    early[report.token] = report.error
                }
            }
            if early.count > 100_000 { early.removeAll() } // reports of abandoned batches
            condition.broadcast()
        }
    }

    /// Waits until every expected report arrived; returns the failures, or nil on timeout.
    func wait(timeout: TimeInterval) -> [KafkaError]? {
        let deadline = Date().addingTimeInterval(timeout)
        return condition.withLock {
            while !outstanding.isEmpty {
                if !condition.wait(until: deadline) { return nil }
            }
            return failures
        }
    }
}
