import NIOCore

/// Kafka's non-flexible primitive types (big-endian integers, int16-prefixed strings,
/// int32-prefixed bytes and arrays, -1 meaning null).
extension ByteBuffer {
    @inlinable
    public mutating func readKafkaInteger<T: FixedWidthInteger>(as: T.Type = T.self) throws -> T {
        guard let value = readInteger(endianness: .big, as: T.self) else {
            throw KafkaWireError(.truncated, "expected \(MemoryLayout<T>.size)-byte integer, \(readableBytes) left")
        }
        return value
    }

    public mutating func readKafkaBool() throws -> Bool {
        try readKafkaInteger(as: Int8.self) != 0
    }

    public mutating func readKafkaNullableString() throws -> String? {
        let length = Int(try readKafkaInteger(as: Int16.self)) // safe: widening
        if length == -1 { return nil }
        guard length >= 0 else { throw KafkaWireError(.invalidLength, "string length \(length)") }
        guard let bytes = readSlice(length: length) else {
            throw KafkaWireError(.truncated, "string of \(length) bytes, \(readableBytes) left")
        }
        guard let string = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw KafkaWireError(.invalidString, "string is not valid UTF-8")
        }
        return string
    }

    public mutating func readKafkaString() throws -> String {
        guard let string = try readKafkaNullableString() else {
            throw KafkaWireError(.malformed, "null where a string is required")
        }
        return string
    }

    public mutating func readKafkaNullableBytes() throws -> ByteBuffer? {
        let length = Int(try readKafkaInteger(as: Int32.self)) // safe: widening
        if length == -1 { return nil }
        guard length >= 0 else { throw KafkaWireError(.invalidLength, "bytes length \(length)") }
        guard let bytes = readSlice(length: length) else {
            throw KafkaWireError(.truncated, "bytes of \(length), \(readableBytes) left")
        }
        return bytes
    }

    public mutating func readKafkaBytes() throws -> ByteBuffer {
        guard let bytes = try readKafkaNullableBytes() else {
            throw KafkaWireError(.malformed, "null where bytes are required")
        }
        return bytes
    }

    /// Reads an int32-counted array; `nil` for a null (-1) array.
    /// The count is checked against the bytes left, so a hostile count cannot make us allocate.
    public mutating func readKafkaNullableArray<T>(
        _ element: (inout ByteBuffer) throws -> T
    ) throws -> [T]? {
        let count = Int(try readKafkaInteger(as: Int32.self)) // safe: widening
        if count == -1 { return nil }
        guard count >= 0, count <= readableBytes else {
            throw KafkaWireError(.invalidLength, "array count \(count) with \(readableBytes) bytes left")
        }
        var result: [T] = []
        // A count is at most the bytes left, but elements are larger than a byte in memory: reserve
        // only a bounded start, so a 100 MiB frame claiming 100 M elements cannot make us reserve GBs.
        result.reserveCapacity(min(count, 1024))
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    public mutating func readKafkaArray<T>(_ element: (inout ByteBuffer) throws -> T) throws -> [T] {
        guard let array = try readKafkaNullableArray(element) else {
            throw KafkaWireError(.malformed, "null where an array is required")
        }
        return array
    }

    // MARK: writing

    @inlinable
    public mutating func writeKafkaInteger<T: FixedWidthInteger>(_ value: T) {
        writeInteger(value, endianness: .big)
    }

    public mutating func writeKafkaBool(_ value: Bool) {
        writeInteger(value ? Int8(1) : 0) // safe: literal
    }

    /// The longest string the protocol can carry (int16 length prefix).
    public static let maxKafkaStringBytes = Int(Int16.max) // safe: widening

    /// Writes an int16-prefixed string. Callers guarantee the bound: strings echoed from a request
    /// are at most `maxKafkaStringBytes` because they were read with an int16 length, and strings the
    /// broker builds (member ids, error messages) are bounded where they are made
    /// (`String.kafkaPrefix(maxBytes:)`). As a last resort this writer never traps: a longer value
    /// is cut to its longest prefix of whole Unicode scalars that fits, so the frame stays
    /// well-formed (the value is then wrong, but only for a value no caller should produce).
    public mutating func writeKafkaNullableString(_ value: String?) {
        guard let value else { writeInteger(Int16(-1), endianness: .big); return } // safe: literal
        let bounded = value.utf8.count <= Self.maxKafkaStringBytes ? value : value.kafkaPrefix(maxBytes: Self.maxKafkaStringBytes)
        writeInteger(Int16(clamping: bounded.utf8.count), endianness: .big)
        writeString(bounded)
    }

    public mutating func writeKafkaString(_ value: String) {
        writeKafkaNullableString(value)
    }

    /// Writes int32-prefixed bytes. A buffer longer than `Int32.max` (impossible for anything the
    /// broker sends, whose responses are bounded far below) is cut to `Int32.max` bytes rather than
    /// trapping, so prefix and content always agree.
    public mutating func writeKafkaNullableBytes(_ value: ByteBuffer?) {
        guard var value else { writeInteger(Int32(-1), endianness: .big); return } // safe: literal
        let length = Int32(clamping: value.readableBytes)
        writeInteger(length, endianness: .big)
        if Int(length) < value.readableBytes { value = value.getSlice(at: value.readerIndex, length: Int(length))! } // safe: widening
        writeBuffer(&value)
    }

    /// Writes an int32-counted array; past `Int32.max` elements (impossible in practice) only the
    /// first `Int32.max` are written, so count and content always agree.
    public mutating func writeKafkaNullableArray<T>(_ array: [T]?, _ element: (inout ByteBuffer, T) -> Void) {
        guard let array else { writeInteger(Int32(-1), endianness: .big); return } // safe: literal
        let count = Int32(clamping: array.count)
        writeInteger(count, endianness: .big)
        for item in array.prefix(Int(count)) { element(&self, item) } // safe: widening
    }

    public mutating func writeKafkaArray<T>(_ array: [T], _ element: (inout ByteBuffer, T) -> Void) {
        writeKafkaNullableArray(Optional(array), element)
    }
}

extension String {
    /// The longest prefix of whole Unicode scalars whose UTF-8 form has at most `maxBytes` bytes
    /// (the string itself when it fits). For values the broker builds from client input: member ids
    /// from a client id, error messages naming a topic.
    public func kafkaPrefix(maxBytes: Int) -> String {
        guard utf8.count > maxBytes else { return self }
        var bytes = 0
        var end = unicodeScalars.startIndex
        for scalar in unicodeScalars {
            let size = UTF8.width(scalar)
            guard bytes + size <= maxBytes else { break }
            bytes += size
            end = unicodeScalars.index(after: end)
        }
        return String(unicodeScalars[..<end])
    }
}
