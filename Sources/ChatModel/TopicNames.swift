/// Kafka topic names derived from a configurable prefix.
///
/// `TopicNames(prefix: "chat")` gives `chat`, `chat_controlled`, `chat_control`, `chat_dlq`, `chat_channels`.
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

    /// A user's private inbox (direct messages addressed to them), readable only by that user.
    public func inbox(_ user: String) -> String { prefix + "_inbox." + user }

    /// All five, in the order above.
    public var all: [String] { [chat, controlled, control, deadLetter, channels] }
}
