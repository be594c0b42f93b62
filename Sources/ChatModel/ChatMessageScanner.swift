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
        let b = bytes.bindMemory(to: UInt8.self)
        let n = b.count
        var i = 0
        func skipSpace() {
            while i < n, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }
        /// A string without escapes or control bytes starting at `i` (at its opening quote): the
        /// range of its contents; `i` moves past the closing quote.
        func plainString() -> Range<Int>? {
            guard i < n, b[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let start = i
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return start..<(i - 1) }
                if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
                i += 1
            }
            return nil
        }
        func string(_ range: Range<Int>) -> String? {
            String(validating: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
        }
        func key(_ range: Range<Int>) -> Key? {
            let s = UnsafeBufferPointer(rebasing: b[range])
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
        /// `{"masked":<digits>}` with optional white space; at most 18 digits, no sign, no
        /// leading zero (anything else goes to the reference decoder).
        func masked() -> Int? {
            guard i < n, b[i] == UInt8(ascii: "{") else { return nil }
            i += 1
            skipSpace()
            guard let name = plainString(), UnsafeBufferPointer(rebasing: b[name]).elementsEqual("masked".utf8) else { return nil }
            skipSpace()
            guard i < n, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            let start = i
            var value = 0
            while i < n, b[i] >= 0x30, b[i] <= 0x39, i - start < 18 {
                value = value * 10 + Int(b[i] - 0x30) // safe: a decimal digit, at most 18 of them
                i += 1
            }
            guard i > start, !(b[start] == 0x30 && i - start > 1), i < n, b[i] < 0x30 || b[i] > 0x39 else { return nil }
            skipSpace()
            guard i < n, b[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            return value
        }

        skipSpace()
        guard i < n, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var seen: UInt8 = 0
        var id: String?, channel: String?, author: String?, data: String?
        var timestamp: Date?
        var moderation: ChatMessage.Moderation?
        while true {
            skipSpace()
            guard let name = plainString(), let field = key(name), seen & field.rawValue == 0 else { return nil }
            seen |= field.rawValue
            skipSpace()
            guard i < n, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            if field == .moderation {
                guard let count = masked() else { return nil }
                moderation = ChatMessage.Moderation(masked: count)
            } else {
                guard let range = plainString() else { return nil }
                switch field {
                case .timestamp:
                    guard let text = string(range), let date = Timestamp.parse(text) else { return nil }
                    timestamp = date
                default:
                    guard let text = string(range) else { return nil }
                    switch field {
                    case .id: id = text
                    case .channel: channel = text
                    case .author: author = text
                    default: data = text
                    }
                }
            }
            skipSpace()
            guard i < n else { return nil }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            guard b[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            break
        }
        skipSpace()
        guard i == n, let channel = channel ?? defaultChannel, let author, let data, let timestamp else { return nil }
        let messageID = id ?? ChatMessage.derivedID(channel: channel, author: author, timestamp: timestamp, data: data)
        return ChatMessage(id: messageID, channel: channel, author: author, data: data, timestamp: timestamp,
                           moderation: moderation)
    }
}
