import Foundation

extension ChatMessage {
    /// The canonical wire bytes: fixed key order, UTC millisecond timestamp, no escaped slashes.
    public func jsonData() -> Data {
        Data(jsonBytes())
    }

    /// `jsonData()` as an array (what a Kafka produce takes), without the copy into `Data`.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter()
        w.string("id", id)
        w.string("channel", channel)
        w.string("author", author)
        w.string("data", data)
        w.date("timestamp", timestamp)
        if let moderation {
            w.raw("moderation", "{\"masked\":\(moderation.masked)}")
        }
        return w.finishBytes()
    }

    /// `jsonData()` as a String.
    public var jsonString: String { String(decoding: jsonData(), as: UTF8.self) }

    /// Decodes one message value.
    ///
    /// - Parameters:
    ///   - data: the raw Kafka value.
    ///   - defaultChannel: used when the JSON has no `"channel"` (pass the Kafka key).
    /// - Throws: `ChatModelError` with codes `malformedJSON`, `missingField`, `invalidField` or
    ///   `invalidTimestamp`; `description` is suitable as a dead-letter reason.
    ///   Decoding does not run `validate()`.
    public static func decode(from data: Data, defaultChannel: String? = nil) throws(ChatModelError) -> ChatMessage {
        if let message = data.withUnsafeBytes({ ChatMessageScanner.decode($0, defaultChannel: defaultChannel) }) {
            return message
        }
        return try referenceDecode(from: data, defaultChannel: defaultChannel)
    }

    /// `decode(from:defaultChannel:)` for a value held as bytes (a consumed record's), without
    /// copying it unless the fast path declines it.
    public static func decode(utf8 value: [UInt8], defaultChannel: String? = nil) throws(ChatModelError) -> ChatMessage {
        if let message = value.withUnsafeBytes({ ChatMessageScanner.decode($0, defaultChannel: defaultChannel) }) {
            return message
        }
        return try referenceDecode(from: Data(value), defaultChannel: defaultChannel)
    }

    /// The Foundation `JSONDecoder` path alone: what `decode` answers for every input its fast
    /// path (`ChatMessageScanner`) declines, and what that fast path is tested against.
    public static func referenceDecode(from data: Data, defaultChannel: String? = nil) throws(ChatModelError) -> ChatMessage {
        if data.isEmpty { throw ChatModelError(.malformedJSON, "malformed JSON: empty value") }
        let decoder = JSONDecoder()
        if let defaultChannel { decoder.userInfo[.chatDefaultChannel] = defaultChannel }
        do {
            return try decoder.decode(ChatMessage.self, from: data)
        } catch {
            throw ChatModelError.fromDecoding(error)
        }
    }

    /// Convenience for `decode(from: Data(string.utf8), defaultChannel:)`.
    public static func decode(json: String, defaultChannel: String? = nil) throws(ChatModelError) -> ChatMessage {
        try decode(from: Data(json.utf8), defaultChannel: defaultChannel)
    }

    /// Namespace for derived message ids (an arbitrary fixed UUID owned by kchat).
    public static let idNamespace = UUID(uuidString: "6F1C2A52-9D1E-4F8E-B0A7-6B6368617421")!

    /// Deterministic id for input without one: UUIDv5 over channel, author, canonical
    /// timestamp (UTC milliseconds) and text, so replays of the same input get the same id.
    public static func derivedID(channel: String, author: String, timestamp: Date, data: String) -> String {
        let name = [channel, author, Timestamp.format(timestamp), data].joined(separator: "\u{0}")
        return UUIDv5.make(namespace: idNamespace, name: name).uuidString.lowercased()
    }
}
