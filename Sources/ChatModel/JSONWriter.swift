import Foundation

/// Minimal JSON object writer producing a fixed key order and no escaped slashes, so the
/// bytes on the wire are exactly the documented shape.
struct JSONWriter {
    private var out: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    init() { out.reserveCapacity(160) }

    private mutating func key(_ k: String) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        Self.appendString(k, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    mutating func string(_ k: String, _ v: String) {
        key(k)
        Self.appendString(v, to: &out)
    }

    mutating func string(_ k: String, ifPresent v: String?) {
        if let v { string(k, v) }
    }

    mutating func int<I: BinaryInteger>(_ k: String, _ v: I) {
        key(k)
        out.append(contentsOf: Array(String(v).utf8))
    }

    mutating func int<I: BinaryInteger>(_ k: String, ifPresent v: I?) {
        if let v { int(k, v) }
    }

    /// `string(k, Timestamp.format(v))` without the String (the format needs no escapes).
    mutating func date(_ k: String, _ v: Date) {
        key(k)
        out.append(UInt8(ascii: "\""))
        Timestamp.append(v, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends an already-serialized JSON value (used for nested objects).
    mutating func raw(_ k: String, _ json: String) {
        key(k)
        out.append(contentsOf: Array(json.utf8))
    }

    mutating func finishBytes() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: checked and copied in one go over the contiguous bytes.
        var text = s
        let plain = text.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [92, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension KeyedDecodingContainer {
    /// A string field with a clear error when it is absent, null or not a string.
    func requiredString(_ key: Key) throws(ChatModelError) -> String {
        guard let value = try optionalString(key) else { throw .missing(key.stringValue) }
        return value
    }

    func optionalString(_ key: Key) throws(ChatModelError) -> String? {
        do {
            return try decodeIfPresent(String.self, forKey: key)
        } catch {
            throw .wrongType(key.stringValue, expected: "a string")
        }
    }

    func optionalInt(_ key: Key) throws(ChatModelError) -> Int? {
        do {
            return try decodeIfPresent(Int.self, forKey: key)
        } catch {
            throw .wrongType(key.stringValue, expected: "an integer")
        }
    }

    /// A timestamp given as an accepted string, or as epoch seconds / milliseconds.
    func timestamp(_ key: Key) throws(ChatModelError) -> Date {
        if let text = try? decodeIfPresent(String.self, forKey: key) {
            guard let date = Timestamp.parse(text) else { throw .badTimestamp(text, field: key.stringValue) }
            return date
        }
        if let number = try? decodeIfPresent(Double.self, forKey: key) {
            guard let date = Timestamp.date(epochNumber: number) else {
                throw .badTimestamp("\(number)", field: key.stringValue)
            }
            return date
        }
        if (try? decodeNil(forKey: key)) ?? true {
            throw .missing(key.stringValue)
        }
        throw .wrongType(key.stringValue, expected: "a timestamp string")
    }
}
