/// The single error type of ChatModel: a machine-readable `code` plus a human-readable
/// `message`. The moderator forwards `description` verbatim as the dead-letter reason.
public struct ChatModelError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// Not JSON, or not a JSON object.
        case malformedJSON
        /// A required field is absent (or `null`).
        case missingField
        /// A field has the wrong JSON type or an unusable value.
        case invalidField
        /// The timestamp string is not in an accepted format.
        case invalidTimestamp
        /// The channel name breaks the naming rules.
        case invalidChannel
        /// The author / user name breaks the naming rules.
        case invalidAuthor
        /// The message text is empty or whitespace only.
        case emptyMessage
        /// The message text exceeds `ChatMessage.maxDataBytes`.
        case messageTooLarge
        /// The message id is empty or too long.
        case invalidID
    }

    public var code: Code
    public var message: String
    /// The JSON field concerned, when there is one.
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }
}

extension ChatModelError {
    static func missing(_ field: String) -> ChatModelError {
        ChatModelError(.missingField, "missing field '\(field)'", field: field)
    }

    static func wrongType(_ field: String, expected: String) -> ChatModelError {
        ChatModelError(.invalidField, "field '\(field)' must be \(expected)", field: field)
    }

    static func badTimestamp(_ raw: String, field: String = "timestamp") -> ChatModelError {
        let shown = raw.count > 64 ? String(raw.prefix(64)) + "..." : raw
        return ChatModelError(
            .invalidTimestamp,
            "invalid \(field) '\(shown)' (expected ISO-8601 like 2026-11-22T18:19:44.123Z, 'YYYY-MM-DD HH:MM:SS', or epoch seconds or milliseconds, in the years 0000-9999)",
            field: field)
    }

    /// Maps anything thrown while decoding JSON to a ChatModelError with a clear message.
    static func fromDecoding(_ error: any Error) -> ChatModelError {
        if let own = error as? ChatModelError { return own }
        guard let decoding = error as? DecodingError else {
            return ChatModelError(.malformedJSON, "malformed JSON: \(error)")
        }
        switch decoding {
        case .keyNotFound(let key, _):
            return .missing(key.stringValue)
        case .valueNotFound(_, let ctx):
            return .missing(ctx.codingPath.last?.stringValue ?? "value")
        case .typeMismatch(_, let ctx):
            if let key = ctx.codingPath.last {
                return ChatModelError(.invalidField, "field '\(key.stringValue)' has the wrong type",
                                      field: key.stringValue)
            }
            return ChatModelError(.malformedJSON, "malformed JSON: expected a JSON object")
        case .dataCorrupted(let ctx):
            if let key = ctx.codingPath.last {
                return ChatModelError(.invalidField, "field '\(key.stringValue)' is invalid",
                                      field: key.stringValue)
            }
            var detail = ctx.debugDescription
            if let underlying = ctx.underlyingError {
                detail += " (\(underlying))"
            }
            return ChatModelError(.malformedJSON, "malformed JSON: \(detail)")
        @unknown default:
            return ChatModelError(.malformedJSON, "malformed JSON: \(decoding)")
        }
    }
}
