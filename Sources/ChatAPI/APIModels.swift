import ChatModel
import ChatStore
import Foundation

// Request bodies.

struct CredentialsBody: Decodable {
    var name: String
    var password: String
}

struct CreateChannelBody: Decodable {
    var name: String
}

struct PostMessageBody: Decodable {
    var data: String
    /// Optional client-chosen id (makes retries idempotent); a new UUID otherwise.
    var id: String?
}

// Response bodies. Times are ISO-8601 UTC with milliseconds, as on the Kafka topics.

struct UserJSON: Encodable {
    var name: String
    var registered: Bool
    var blocked: Bool
    var warnings: Int
    var totalWarnings: Int
    var createdAt: String

    init(_ user: UserRecord) {
        name = user.name
        registered = user.isRegistered
        blocked = user.blocked
        warnings = user.warnings
        totalWarnings = user.totalWarnings
        createdAt = Timestamp.format(user.createdAt)
    }
}

struct ChannelJSON: Encodable {
    var name: String
    var createdAt: String
    var createdBy: String?
    var messageCount: Int
    var lastMessageAt: String?

    init(_ channel: ChannelRecord) {
        name = channel.name
        createdAt = Timestamp.format(channel.createdAt)
        createdBy = channel.createdBy
        messageCount = channel.messageCount
        lastMessageAt = channel.lastMessageAt.map(Timestamp.format)
    }
}

struct MessageJSON: Encodable {
    var id: String
    var channel: String
    var author: String
    var data: String
    var timestamp: String
    /// Characters masked by the moderator (absent when the message was not changed).
    var masked: Int?

    init(_ stored: StoredMessage) {
        let m = stored.message
        id = m.id
        channel = m.channel
        author = m.author
        data = m.data
        timestamp = Timestamp.format(m.timestamp)
        masked = m.moderation?.masked
    }
}

struct HistoryJSON: Encodable {
    var channel: String
    /// Newest first.
    var messages: [MessageJSON]
    /// Pass as `before` to get the next (older) page; absent on the last page.
    var nextBefore: String?
}

struct TokenJSON: Encodable {
    var token: String
    var tokenType = "Bearer"
    var expiresAt: String
}

struct AcceptedJSON: Encodable {
    var id: String
    var channel: String
    var author: String
    var timestamp: String
    var status = "accepted"
}

struct UsersJSON: Encodable { var users: [UserJSON] }
struct ChannelsJSON: Encodable { var channels: [ChannelJSON] }
struct StatusJSON: Encodable { var status: String }
