extension ChatMessage {
    /// Maximum size of `data` in UTF-8 bytes (4 KiB).
    public static let maxDataBytes = 4096
    /// Maximum length of `id`.
    public static let maxIDLength = 128

    /// Checks the message against the product rules:
    /// non-empty id (at most 128 characters), valid channel (`ChannelName`), valid author
    /// (`UserName`), text not empty / whitespace-only and at most 4096 UTF-8 bytes.
    public func validate() throws(ChatModelError) {
        if id.isEmpty { throw ChatModelError(.invalidID, "id must not be empty", field: "id") }
        if id.utf8.count > Self.maxIDLength {
            throw ChatModelError(.invalidID, "id is longer than \(Self.maxIDLength) characters", field: "id")
        }
        try ChannelName.validate(channel)
        try UserName.validate(author)
        let size = data.utf8.count
        if size > Self.maxDataBytes {
            throw ChatModelError(.messageTooLarge,
                                 "message text is \(size) bytes, the limit is \(Self.maxDataBytes) bytes",
                                 field: "data")
        }
        if data.allSatisfy(\.isWhitespace) {
            throw ChatModelError(.emptyMessage, "message text must not be empty", field: "data")
        }
        if let masked = moderation?.masked, masked < 0 {
            throw ChatModelError(.invalidField, "moderation.masked must not be negative", field: "moderation")
        }
    }

    /// True when `validate()` passes.
    public var isValid: Bool { (try? validate()) != nil }
}
