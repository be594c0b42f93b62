import ChatModel
import Foundation

/// Kinds of system lines; each is styled differently.
public enum SystemKind: Sendable, Equatable {
    case info, join, leave, block, error, help
}

/// One logical line in a channel (wrapped into rows when rendered). All text stored here is
/// already sanitized (`TerminalSanitizer`, newlines kept as `"\n"`).
public struct ChatLine: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case message
        /// `/me` action: the message text started with `"/me "`.
        case action
        case system(SystemKind)
    }

    public var kind: Kind
    /// The message id (nil for system lines).
    public var id: String?
    /// Sanitized author (empty for system lines).
    public var author: String
    /// Sanitized text (without the `/me ` prefix for actions).
    public var text: String
    public var timestamp: Date
    /// Someone else's message that names me (`alice`, `@alice`) or a DM to me.
    public var mentionsMe: Bool
    public var isOwn: Bool
    /// Characters masked by the moderator, if it was moderated.
    public var masked: Int?

    public init(kind: Kind, id: String? = nil, author: String = "", text: String, timestamp: Date,
                mentionsMe: Bool = false, isOwn: Bool = false, masked: Int? = nil) {
        self.kind = kind
        self.id = id
        self.author = author
        self.text = text
        self.timestamp = timestamp
        self.mentionsMe = mentionsMe
        self.isOwn = isOwn
        self.masked = masked
    }

    /// A line for a chat message as seen by `me`.
    public init(message m: ChatMessage, me: String) {
        let isAction = m.data.hasPrefix("/me ")
        let body = isAction ? String(m.data.dropFirst(4)) : m.data
        let own = m.author == me
        let direct = ChannelName.peer(of: m.channel, me: me) != nil
        self.init(kind: isAction ? .action : .message,
                  id: m.id,
                  author: TerminalSanitizer.sanitize(m.author),
                  text: TerminalSanitizer.sanitize(body, newlines: .preserve),
                  timestamp: m.timestamp,
                  mentionsMe: !own && (direct || Mention.mentions(body, name: me)),
                  isOwn: own,
                  masked: m.moderation?.masked)
    }

    /// A system line (text is sanitized here).
    public static func system(_ kind: SystemKind, _ text: String, at time: Date) -> ChatLine {
        ChatLine(kind: .system(kind), text: TerminalSanitizer.sanitize(text, newlines: .preserve), timestamp: time)
    }
}

/// Detects whether a text names a user as a whole word (case-insensitive; `@name` counts).
public enum Mention {
    public static func mentions(_ text: String, name: String) -> Bool {
        guard !name.isEmpty else { return false }
        let hay = Array(text.lowercased().unicodeScalars)
        let needle = Array(name.lowercased().unicodeScalars)
        guard hay.count >= needle.count else { return false }
        var i = 0
        while i + needle.count <= hay.count {
            if hay[i] == needle[0], Array(hay[i..<(i + needle.count)]) == needle {
                let before = i == 0 ? nil : hay[i - 1]
                let after = i + needle.count < hay.count ? hay[i + needle.count] : nil
                if !isWordScalar(before), !isWordScalar(after) { return true }
            }
            i += 1
        }
        return false
    }

    private static func isWordScalar(_ s: Unicode.Scalar?) -> Bool {
        guard let s else { return false }
        return s.properties.isAlphabetic || s.properties.numericType != nil || s == "_"
    }
}
