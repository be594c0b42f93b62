import Foundation

extension ControlEvent {
    public static func warning(user: String, warnings: Int, limit: Int, channel: String? = nil,
                               messageId: String? = nil, reason: String? = nil,
                               timestamp: Date = Date()) -> ControlEvent {
        ControlEvent(type: .warning, user: user, warnings: warnings, limit: limit, channel: channel,
                     messageId: messageId, timestamp: timestamp, reason: reason)
    }

    public static func blocked(user: String, warnings: Int? = nil, limit: Int? = nil, channel: String? = nil,
                               messageId: String? = nil, reason: String? = nil,
                               timestamp: Date = Date()) -> ControlEvent {
        ControlEvent(type: .blocked, user: user, warnings: warnings, limit: limit, channel: channel,
                     messageId: messageId, timestamp: timestamp, reason: reason)
    }

    public static func unblocked(user: String, reason: String? = nil, timestamp: Date = Date()) -> ControlEvent {
        ControlEvent(type: .unblocked, user: user, timestamp: timestamp, reason: reason)
    }

    public static func rejected(user: String, channel: String, messageId: String, reason: String? = nil,
                                timestamp: Date = Date()) -> ControlEvent {
        ControlEvent(type: .rejected, user: user, channel: channel, messageId: messageId,
                     timestamp: timestamp, reason: reason)
    }

    /// The reason of a `rejected` event for a message of a blocked user. Other rejections (e.g.
    /// a message not signed by its author) do not mean a block.
    public static func blockedReason(of user: String) -> String { "\(user) is blocked" }

    /// Whether this is a `rejected` event because its user is blocked (no reason: as from older
    /// moderators, which rejected for nothing else).
    public var rejectsBlockedUser: Bool {
        type == .rejected && (reason == nil || reason == Self.blockedReason(of: user))
    }

    public static func join(user: String, channel: String, timestamp: Date = Date()) -> ControlEvent {
        ControlEvent(type: .join, user: user, channel: channel, timestamp: timestamp)
    }

    public static func leave(user: String, channel: String, timestamp: Date = Date()) -> ControlEvent {
        ControlEvent(type: .leave, user: user, channel: channel, timestamp: timestamp)
    }
}
