import ChatModel
import Foundation

/// Decides blocks from the order of `chat_control`, so that moderator instances warning the same
/// user at once (from channels on different partitions of `chat`) publish exactly one `blocked`
/// event between them.
///
/// The warnings land in the user's `chat_control` partition (key = user) in one order; the member
/// that owns that partition (consumer group `kchat-moderator-blocks`) reads it from the beginning
/// and is the only one to decide. A user whose warnings since the last unblock reach the limit,
/// with no `blocked` event after them, has a pending block; it is published only once the
/// partition has been read to its end (`caughtUp`), so a block published before a crash or a
/// change of owner is read back, and not published again, by whoever reads the partition next.
/// Replaying the partition over its own state changes nothing (every step is idempotent).
public struct BlockDecider: Sendable {
    struct Standing: Sendable, Equatable {
        var warned: Set<String> = []
        var blocked = false
        /// The warning that reached the limit, while no `blocked` event followed it.
        var pending: ControlEvent?
        /// Handed out by `caughtUp` and not read back yet: later warnings must not block again.
        var handedOut = false
    }

    public let warningLimit: Int
    private var users: [String: Standing] = [:]
    /// Users with a pending block, by `chat_control` partition.
    private var pendingByPartition: [Int32: Set<String>] = [:]

    public init(warningLimit: Int = 3) {
        self.warningLimit = warningLimit
    }

    /// True when `partition` holds a pending block (worth asking whether it is read to its end).
    public func hasPending(in partition: Int32) -> Bool {
        !(pendingByPartition[partition]?.isEmpty ?? true)
    }

    /// Applies one event read from `partition` of `chat_control`, in the partition's order.
    public mutating func apply(_ event: ControlEvent, partition: Int32) {
        var standing = users[event.user] ?? Standing()
        switch event.type {
        case .warning:
            guard let id = event.messageId else { return }
            standing.warned.insert(id)
            if standing.warned.count >= warningLimit, !standing.blocked, !standing.handedOut, standing.pending == nil {
                standing.pending = event
                pendingByPartition[partition, default: []].insert(event.user)
            }
        case .blocked:
            standing.blocked = true
            standing.pending = nil
            standing.handedOut = false
            pendingByPartition[partition]?.remove(event.user)
        case .unblocked:
            standing = Standing()
            pendingByPartition[partition]?.remove(event.user)
        case .rejected, .join, .leave:
            return
        }
        users[event.user] = standing
    }

    /// The `blocked` events to publish now that `partition` has been read to its end. Each is
    /// handed out once; the published event, read back later, settles the user.
    public mutating func caughtUp(partition: Int32, now: Date = Date()) -> [ControlEvent] {
        guard let waiting = pendingByPartition.removeValue(forKey: partition) else { return [] }
        return waiting.sorted().compactMap { user -> ControlEvent? in
            guard var standing = users[user], let cause = standing.pending else { return nil }
            standing.pending = nil
            standing.handedOut = true
            users[user] = standing
            return .blocked(user: user, warnings: standing.warned.count, limit: warningLimit,
                            channel: cause.channel, messageId: cause.messageId, timestamp: now)
        }
    }
}
