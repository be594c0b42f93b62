import Foundation

/// An event on the `chat_control` topic (key = user).
///
/// Wire form (exact key order, optional fields omitted when nil):
/// `{"type":"warning","user":"bob","warnings":2,"limit":3,"channel":"general","messageId":"<uuid>","timestamp":"...","reason":"..."}`
public struct ControlEvent: Decodable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, Equatable, CaseIterable {
        /// A message of `user` was moderated; `warnings` of `limit` used.
        case warning
        /// `user` reached the limit and is blocked.
        case blocked
        /// `user` was unblocked by an operator.
        case unblocked
        /// A message from blocked `user` was not delivered (`messageId`).
        case rejected
        /// `user` joined `channel`.
        case join
        /// `user` left `channel`.
        case leave
    }

    public var type: Kind
    public var user: String
    public var warnings: Int?
    public var limit: Int?
    public var channel: String?
    public var messageId: String?
    public var timestamp: Date
    public var reason: String?

    public init(type: Kind, user: String, warnings: Int? = nil, limit: Int? = nil, channel: String? = nil,
                messageId: String? = nil, timestamp: Date = Date(), reason: String? = nil) {
        self.type = type
        self.user = user
        self.warnings = warnings
        self.limit = limit
        self.channel = channel
        self.messageId = messageId
        self.timestamp = timestamp
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case type, user, warnings, limit, channel, messageId, timestamp, reason
    }

    public init(from decoder: any Decoder) throws {
        let c: KeyedDecodingContainer<CodingKeys>
        do {
            c = try decoder.container(keyedBy: CodingKeys.self)
        } catch {
            throw ChatModelError(.malformedJSON, "malformed JSON: expected a JSON object")
        }
        let rawType = try c.requiredString(.type)
        guard let type = Kind(rawValue: rawType) else {
            throw ChatModelError(.invalidField, "unknown control event type '\(rawType)'", field: "type")
        }
        self.init(type: type,
                  user: try c.requiredString(.user),
                  warnings: try c.optionalInt(.warnings),
                  limit: try c.optionalInt(.limit),
                  channel: try c.optionalString(.channel),
                  messageId: try c.optionalString(.messageId),
                  timestamp: try c.timestamp(.timestamp),
                  reason: try c.optionalString(.reason))
    }

    /// The canonical wire bytes (fixed key order, nil fields omitted).
    public func jsonData() -> Data {
        Data(jsonBytes())
    }

    /// `jsonData()` as an array (what a Kafka produce takes), without the copy into `Data`.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter()
        w.string("type", type.rawValue)
        w.string("user", user)
        w.int("warnings", ifPresent: warnings)
        w.int("limit", ifPresent: limit)
        w.string("channel", ifPresent: channel)
        w.string("messageId", ifPresent: messageId)
        w.date("timestamp", timestamp)
        w.string("reason", ifPresent: reason)
        return w.finishBytes()
    }

    public var jsonString: String { String(decoding: jsonData(), as: UTF8.self) }

    /// Decodes one control event value; errors as for `ChatMessage.decode`.
    public static func decode(from data: Data) throws(ChatModelError) -> ControlEvent {
        if let event = data.withUnsafeBytes({ ControlEventScanner.decode($0) }) { return event }
        return try referenceDecode(from: data)
    }

    /// `decode(from:)` for a value held as bytes (a consumed record's), without copying it unless
    /// the fast path declines it.
    public static func decode(utf8 value: [UInt8]) throws(ChatModelError) -> ControlEvent {
        if let event = value.withUnsafeBytes({ ControlEventScanner.decode($0) }) { return event }
        return try referenceDecode(from: Data(value))
    }

    /// The Foundation `JSONDecoder` path alone: what `decode` answers for every input its fast
    /// path (`ControlEventScanner`) declines, and what that fast path is tested against.
    public static func referenceDecode(from data: Data) throws(ChatModelError) -> ControlEvent {
        if data.isEmpty { throw ChatModelError(.malformedJSON, "malformed JSON: empty value") }
        do {
            return try JSONDecoder().decode(ControlEvent.self, from: data)
        } catch {
            throw ChatModelError.fromDecoding(error)
        }
    }
}
