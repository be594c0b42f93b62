/// The byte-level steps shared by the plain-JSON fast paths (``ChatMessageScanner``,
/// ``ControlEventScanner``): a cursor over UTF-8 bytes that reads only what those paths accept —
/// strings without escapes or control bytes, up to 18 digits without sign or leading zero — and
/// answers nil/false for anything else, so the caller falls back to the Foundation decoder.
struct PlainJSONReader {
    let b: UnsafeBufferPointer<UInt8>
    private(set) var i = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        b = bytes.bindMemory(to: UInt8.self)
    }

    /// Everything was read (after trailing white space has been skipped).
    var atEnd: Bool { i == b.count }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    /// Consumes `byte` when it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard i < b.count, b[i] == byte else { return false }
        i += 1
        return true
    }

    /// A string without escapes or control bytes starting at its opening quote: the range of its
    /// contents; the cursor moves past the closing quote.
    mutating func plainString() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return start..<(i - 1) }
            if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: b[range]) }

    /// The range's bytes as a String when they are valid UTF-8.
    func string(_ range: Range<Int>) -> String? { String(validating: bytes(range), as: UTF8.self) }

    /// At most 18 decimal digits, no sign, no leading zero, followed by something else.
    mutating func digits() -> Int? {
        let start = i
        var value = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - start < 18 {
            value = value * 10 + Int(b[i] - 0x30) // safe: a decimal digit, at most 18 of them
            i += 1
        }
        guard i > start, !(b[start] == 0x30 && i - start > 1), i < b.count, b[i] < 0x30 || b[i] > 0x39 else { return nil }
        return value
    }

    /// A member's name and its colon (with the white space around them): the name's range; the
    /// cursor is then at the value.
    mutating func memberName() -> Range<Int>? {
        skipSpace()
        guard let name = plainString() else { return nil }
        skipSpace()
        guard take(UInt8(ascii: ":")) else { return nil }
        skipSpace()
        return name
    }

    /// After a member's value: true when another member follows (`,`), false at the object's end
    /// (`}`), nil for anything else.
    mutating func nextMember() -> Bool? {
        skipSpace()
        if take(UInt8(ascii: ",")) { return true }
        return take(UInt8(ascii: "}")) ? false : nil
    }
}
