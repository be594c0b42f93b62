/// Reads structured values from fuzz bytes; every read succeeds (zeros once the bytes run out).
struct FuzzInput {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }
    var remaining: Int { max(0, bytes.count - position) }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func int(below bound: Int) -> Int { bound <= 1 ? 0 : Int(byte()) % bound }  // safe: widening a byte

    mutating func pick<T>(_ choices: [T]) -> T { choices[int(below: choices.count)] }

    /// A length byte, then that many bytes (fewer at the end of the input).
    mutating func chunk() -> [UInt8] {
        let length = min(Int(byte()), remaining)  // safe: widening a byte
        defer { position += length }
        return Array(bytes[position..<(position + length)])
    }

    /// A length-prefixed chunk as text (invalid UTF-8 repaired as a decoder of the wire would).
    mutating func text() -> String { String(decoding: chunk(), as: UTF8.self) }

    /// A little-endian 32-bit signed value.
    mutating func int32() -> Int32 {
        var value: UInt32 = 0
        for shift in stride(from: 0, to: 32, by: 8) { value |= UInt32(byte()) << UInt32(shift) }  // safe: widening a byte
        return Int32(bitPattern: value)
    }
}

extension Array where Element == UInt8 {
    /// Splits on `separator`, keeping empty pieces, at most `limit` pieces (the last keeps the rest).
    func pieces(separatedBy separator: UInt8, limit: Int = .max) -> [[UInt8]] {
        split(separator: separator, maxSplits: limit - 1, omittingEmptySubsequences: false).map(Array.init)
    }
}
