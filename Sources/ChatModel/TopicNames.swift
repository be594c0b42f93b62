/// Kafka topic names derived from a configurable prefix.
///
/// `TopicNames(prefix: "chat")` gives `chat`, `chat_controlled`, `chat_control`, `chat_dlq`, `chat_channels`,
/// `chat_private`, and one `chat_inbox.<user>` per user that has received a direct message.
public struct TopicNames: Sendable, Equatable, Hashable {
    public static let defaultPrefix = "chat"

    public let prefix: String

    public init(prefix: String = TopicNames.defaultPrefix) {
        self.prefix = prefix
    }

    /// Raw messages, key = channel.
    public var chat: String { prefix }
    /// Moderated copies, key = channel.
    public var controlled: String { prefix + "_controlled" }
    /// Control events, key = user.
    public var control: String { prefix + "_control" }
    /// Unparseable input with the reason.
    public var deadLetter: String { prefix + "_dlq" }

    /// The channel directory: key = channel, value = channel JSON, a null value deletes.
    public var channels: String { prefix + "_channels" }

    /// Moderated direct messages for the store writer, key = channel. Services only: no ACL lets
    /// a user read it (a user reads its own DMs from its inbox).
    public var privateMessages: String { prefix + "_private" }

    /// A user's private inbox (the moderated direct messages they are part of, key = channel),
    /// readable only by that user. Created by the moderator on that user's first DM.
    public func inbox(_ user: String) -> String { prefix + "_inbox." + user }

    /// Every topic a kchat cluster starts with (the inboxes come later, one per user), in the
    /// order above.
    public var all: [String] { [chat, controlled, control, deadLetter, channels, privateMessages] }
}
