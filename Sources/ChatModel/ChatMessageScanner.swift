import Foundation

/// A fast path for `ChatMessage.decode`: one pass over the value's UTF-8 bytes, no Foundation
/// JSON. It decodes only the plain shape messages have on the wire — an object whose members are
/// the known keys at most once each, string values without escapes or control bytes (valid
/// UTF-8), a timestamp string `Timestamp.parse` accepts and `"moderation":{"masked":<digits>}` —
/// and answers nil for anything else (escapes, numbers or nulls where strings go, unknown or
/// repeated keys, missing fields, malformed JSON), which the caller then hands to the Foundation
/// decoder. So every error and every unusual input keeps the reference path's exact outcome, and
/// on what it accepts it must give what that path gives (`ChatMessageScannerTests`, the
/// `moderation` fuzz target).
enum ChatMessageScanner {
    private enum Key: UInt8 { case id = 1, channel = 2, author = 4, data = 8, timestamp = 16, moderation = 32 }

    static func decode(_ bytes: UnsafeRawBufferPointer, defaultChannel: String?) -> ChatMessage? {
        var r = PlainJSONReader(bytes)
        func key(_ range: Range<Int>) -> Key? {
            let s = r.bytes(range)
            switch s.count {
            case 2 where s.elementsEqual("id".utf8): return .id
            case 4 where s.elementsEqual("data".utf8): return .data
            case 6 where s.elementsEqual("author".utf8): return .author
            case 7 where s.elementsEqual("channel".utf8): return .channel
            case 9 where s.elementsEqual("timestamp".utf8): return .timestamp
            case 10 where s.elementsEqual("moderation".utf8): return .moderation
            default: return nil
            }
        }
        /// `{"masked":<digits>}` with optional white space (anything else goes to the reference decoder).
        func masked() -> Int? {
            guard r.take(UInt8(ascii: "{")), let name = r.memberName(), r.bytes(name).elementsEqual("masked".utf8),
                  let value = r.digits() else { return nil }
            r.skipSpace()
            return r.take(UInt8(ascii: "}")) ? value : nil
        }

        r.skipSpace()
        guard r.take(UInt8(ascii: "{")) else { return nil }
        var seen: UInt8 = 0
        var id: String?, channel: String?, author: String?, data: String?
        var timestamp: Date?
        var moderation: ChatMessage.Moderation?
        while true {
            guard let name = r.memberName(), let field = key(name), seen & field.rawValue == 0 else { return nil }
            seen |= field.rawValue
            if field == .moderation {
                guard let count = masked() else { return nil }
                moderation = ChatMessage.Moderation(masked: count)
            } else {
                guard let range = r.plainString(), let text = r.string(range) else { return nil }
                switch field {
                case .timestamp:
                    guard let date = Timestamp.parse(text) else { return nil }
                    timestamp = date
                case .id: id = text
                case .channel: channel = text
                case .author: author = text
                default: data = text
                }
            }
            guard let more = r.nextMember() else { return nil }
            if !more { break }
        }
        r.skipSpace()
        guard r.atEnd, let channel = channel ?? defaultChannel, let author, let data, let timestamp else { return nil }
        let messageID = id ?? ChatMessage.derivedID(channel: channel, author: author, timestamp: timestamp, data: data)
        return ChatMessage(id: messageID, channel: channel, author: author, data: data, timestamp: timestamp,
                           moderation: moderation)
    }
}
