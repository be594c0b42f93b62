import Foundation

/// One chat message as it travels on the `chat` and `chat_controlled` topics.
///
/// Wire form (exact key order, produced by `jsonData()`):
/// `{"id":"<uuid>","channel":"general","author":"alice","data":"text","timestamp":"2026-11-22T18:19:44.123Z"}`
/// plus `"moderation":{"masked":N}` on moderated copies (omitted when nil).
public struct ChatMessage: Codable, Sendable, Equatable, Identifiable {
    /// Moderation result attached to moderated copies.
    public struct Moderation: Codable, Sendable, Equatable {
        /// Number of characters replaced by `*`.
        public var masked: Int
        public init(masked: Int) { self.masked = masked }
    }

    public var id: String
    public var channel: String
    public var author: String
    public var data: String
    public var timestamp: Date
    public var moderation: Moderation?

    public init(id: String = ChatMessage.newID(), channel: String, author: String, data: String,
                timestamp: Date = Date(), moderation: Moderation? = nil) {
        self.id = id
        self.channel = channel
        self.author = author
        self.data = data
        self.timestamp = timestamp
        self.moderation = moderation
    }

    /// A fresh random id (lower-case UUID string).
    public static func newID() -> String { UUID().uuidString.lowercased() }

    /// A copy with moderated text, as the moderator publishes it on `chat_controlled`.
    public func moderated(data newData: String, masked: Int) -> ChatMessage {
        var copy = self
        copy.data = newData
        copy.moderation = Moderation(masked: masked)
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case id, channel, author, data, timestamp, moderation
    }

    /// Decoding is lenient where the contract allows it: a missing `id` is derived
    /// deterministically (see `derivedID`), a missing `channel` falls back to
    /// `decoder.userInfo[.chatDefaultChannel]`, and the timestamp may use any accepted format.
    /// Errors thrown are `ChatModelError`s with a clear message.
    public init(from decoder: any Decoder) throws {
        let c: KeyedDecodingContainer<CodingKeys>
        do {
            c = try decoder.container(keyedBy: CodingKeys.self)
        } catch {
            throw ChatModelError(.malformedJSON, "malformed JSON: expected a JSON object")
        }
        let fallbackChannel = decoder.userInfo[.chatDefaultChannel] as? String
        guard let channel = try c.optionalString(.channel) ?? fallbackChannel else {
            throw ChatModelError.missing("channel")
        }
        let author = try c.requiredString(.author)
        let data = try c.requiredString(.data)
        let timestamp = try c.timestamp(.timestamp)
        var moderation: Moderation?
        do {
            moderation = try c.decodeIfPresent(Moderation.self, forKey: .moderation)
        } catch {
            throw ChatModelError(.invalidField, "field 'moderation' must be {\"masked\":N}", field: "moderation")
        }
        let id = try c.optionalString(.id)
            ?? ChatMessage.derivedID(channel: channel, author: author, timestamp: timestamp, data: data)
        self.init(id: id, channel: channel, author: author, data: data,
                  timestamp: timestamp, moderation: moderation)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(channel, forKey: .channel)
        try c.encode(author, forKey: .author)
        try c.encode(data, forKey: .data)
        try c.encode(Timestamp.format(timestamp), forKey: .timestamp)
        try c.encodeIfPresent(moderation, forKey: .moderation)
    }
}

extension ChatMessage {
    /// The record header that carries the sender's access token (signed authorship): the
    /// moderator delivers a message only when the token is valid and names its `author`.
    public static let tokenHeader = "kchat-token"
}

extension CodingUserInfoKey {
    /// Set to a `String` in a decoder's `userInfo` to supply the channel (e.g. the Kafka key)
    /// for messages whose JSON has no `"channel"` field.
    public static let chatDefaultChannel = CodingUserInfoKey(rawValue: "kchat.defaultChannel")!
}
