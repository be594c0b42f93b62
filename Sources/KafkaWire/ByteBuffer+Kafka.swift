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
        let length = Int(try readKafkaInteger(as: Int16.self))
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
        let length = Int(try readKafkaInteger(as: Int32.self))
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
        let count = Int(try readKafkaInteger(as: Int32.self))
        if count == -1 { return nil }
        guard count >= 0, count <= readableBytes else {
            throw KafkaWireError(.invalidLength, "array count \(count) with \(readableBytes) bytes left")
        }
        var result: [T] = []
        result.reserveCapacity(count)
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
        writeInteger(value ? Int8(1) : 0)
    }

    public mutating func writeKafkaNullableString(_ value: String?) {
        guard let value else { writeInteger(Int16(-1), endianness: .big); return }
        writeInteger(Int16(value.utf8.count), endianness: .big)
        writeString(value)
    }

    public mutating func writeKafkaString(_ value: String) {
        writeKafkaNullableString(value)
    }

    public mutating func writeKafkaNullableBytes(_ value: ByteBuffer?) {
        guard var value else { writeInteger(Int32(-1), endianness: .big); return }
        writeInteger(Int32(value.readableBytes), endianness: .big)
        writeBuffer(&value)
    }

    public mutating func writeKafkaNullableArray<T>(_ array: [T]?, _ element: (inout ByteBuffer, T) -> Void) {
        guard let array else { writeInteger(Int32(-1), endianness: .big); return }
        writeInteger(Int32(array.count), endianness: .big)
        for item in array { element(&self, item) }
    }

    public mutating func writeKafkaArray<T>(_ array: [T], _ element: (inout ByteBuffer, T) -> Void) {
        writeKafkaNullableArray(Optional(array), element)
    }
}
