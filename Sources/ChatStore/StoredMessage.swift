import ChatModel
import Foundation

/// Where a record came from in Kafka.
public struct KafkaPosition: Sendable, Equatable, Hashable {
    public var partition: Int32
    public var offset: Int64

    public init(partition: Int32, offset: Int64) {
        self.partition = partition
        self.offset = offset
    }
}

/// A message as stored: the (moderated) chat message plus its Kafka position and, once read
/// back, the store's sequence number (the order of insertion, which is the pagination order).
public struct StoredMessage: Sendable, Equatable {
    public var message: ChatMessage
    public var kafka: KafkaPosition?
    /// Set by the store; ignored on insert.
    public var seq: Int64?

    public init(_ message: ChatMessage, kafka: KafkaPosition? = nil, seq: Int64? = nil) {
        self.message = message
        self.kafka = kafka
        self.seq = seq
    }

    public var id: String { message.id }
}

/// One page of history, newest first.
public struct HistoryPage: Sendable, Equatable {
    public static let defaultLimit = 10
    public static let maxLimit = 100

    public var messages: [StoredMessage]
    /// True when older messages exist before the last one of this page.
    public var hasMore: Bool

    public init(messages: [StoredMessage], hasMore: Bool) {
        self.messages = messages
        self.hasMore = hasMore
    }

    /// The cursor for the next (older) page: the id of the oldest message here, when `hasMore`.
    public var nextBefore: String? { hasMore ? messages.last?.id : nil }

    /// `limit` clamped to `1...maxLimit`.
    public static func clamp(_ limit: Int) -> Int { min(max(limit, 1), maxLimit) }
}

public struct ChannelRecord: Sendable, Equatable {
    public var name: String
    public var createdAt: Date
    /// nil for channels created by the system.
    public var createdBy: String?
    public var messageCount: Int
    public var lastMessageAt: Date?

    public init(name: String, createdAt: Date, createdBy: String?, messageCount: Int = 0, lastMessageAt: Date? = nil) {
        self.name = name
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.messageCount = messageCount
        self.lastMessageAt = lastMessageAt
    }
}

public struct UserRecord: Sendable, Equatable {
    public var name: String
    /// bcrypt hash; nil for users only seen in chat (not registered through the API).
    public var passwordHash: String?
    public var createdAt: Date
    public var blocked: Bool
    /// Warnings since the last unblock (what the moderator counts towards the limit).
    public var warnings: Int
    /// Every warning ever recorded.
    public var totalWarnings: Int
    /// When the name was registered after having been seen in chat without an account (on a hub
    /// without authentication): its direct messages from before are not its owner's.
    public var claimedAt: Date?

    public init(name: String, passwordHash: String?, createdAt: Date, blocked: Bool = false,
                warnings: Int = 0, totalWarnings: Int = 0, claimedAt: Date? = nil) {
        self.claimedAt = claimedAt
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.blocked = blocked
        self.warnings = warnings
        self.totalWarnings = totalWarnings
    }

    public var isRegistered: Bool { passwordHash != nil }
}
