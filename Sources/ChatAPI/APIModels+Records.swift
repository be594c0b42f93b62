import ChatAPIModels
import ChatModel
import ChatStore

// The API's JSON bodies made from the store's records.

extension UserJSON {
    init(_ user: UserRecord) {
        self.init(name: user.name, registered: user.isRegistered, blocked: user.blocked, warnings: user.warnings,
                  totalWarnings: user.totalWarnings, createdAt: Timestamp.format(user.createdAt))
    }
}

extension ChannelJSON {
    init(_ channel: ChannelRecord) {
        self.init(name: channel.name, createdAt: Timestamp.format(channel.createdAt), createdBy: channel.createdBy,
                  messageCount: channel.messageCount, lastMessageAt: channel.lastMessageAt.map(Timestamp.format))
    }
}

extension MessageJSON {
    init(_ stored: StoredMessage) {
        let m = stored.message
        self.init(id: m.id, channel: m.channel, author: m.author, data: m.data, timestamp: Timestamp.format(m.timestamp),
                  masked: m.moderation?.masked)
    }
}
