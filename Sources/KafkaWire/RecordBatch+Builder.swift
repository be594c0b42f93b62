import NIOCore

/// A record of a batch (no headers), for building and reading uncompressed batches in tests and tools.
public struct KafkaRecord: Sendable, Equatable {
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var timestampDelta: Int64 = 0
    public var offsetDelta: Int32 = 0

    public init(key: [UInt8]?, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

extension RecordBatches {
    /// Builds one uncompressed magic-2 batch with a correct CRC.
    public static func build(records: [KafkaRecord], baseOffset: Int64 = 0, timestamp: Int64 = 0) -> ByteBuffer {
        var body = ByteBuffer()
        for (i, record) in records.enumerated() {
            var r = ByteBuffer()
            r.writeInteger(Int8(0)) // safe: literal; attributes
            r.writeVarint(record.timestampDelta)
            r.writeVarint(Int64(i)) // safe: widening; offset delta
            r.writeVarintBytes(record.key)
            r.writeVarintBytes(record.value)
            r.writeVarint(0) // headers
            body.writeVarint(Int64(r.readableBytes)) // safe: widening
            body.writeBuffer(&r)
        }
        var batch = ByteBuffer()
        batch.writeInteger(baseOffset, endianness: .big)
        batch.writeInteger(Int32(clamping: RecordBatchHeader.size - RecordBatchHeader.logOverhead + body.readableBytes), endianness: .big)
        batch.writeInteger(Int32(0), endianness: .big) // safe: literal; partition leader epoch
        batch.writeInteger(Int8(2)) // safe: literal; magic
        batch.writeInteger(UInt32(0), endianness: .big) // safe: literal; crc placeholder
        let crcStart = batch.writerIndex
        batch.writeInteger(Int16(0), endianness: .big) // safe: literal; attributes
        batch.writeInteger(Int32(clamping: max(records.count - 1, 0)), endianness: .big)
        batch.writeInteger(timestamp, endianness: .big)
        batch.writeInteger(timestamp &+ max(0, records.map(\.timestampDelta).max() ?? 0), endianness: .big) // max timestamp
        batch.writeInteger(Int64(-1), endianness: .big) // safe: literal; producer id
        batch.writeInteger(Int16(-1), endianness: .big) // safe: literal
        batch.writeInteger(Int32(-1), endianness: .big) // safe: literal
        batch.writeInteger(Int32(clamping: records.count), endianness: .big)
        batch.writeBuffer(&body)
        let crc = batch.withUnsafeReadableBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[crcStart...])) }
        batch.setInteger(crc, at: RecordBatchHeader.crcOffset, endianness: .big)
        return batch
    }

    /// Reads the records of an uncompressed batch (offsets made absolute).
    public static func records(in batch: ByteBuffer) throws -> [(offset: Int64, record: KafkaRecord)] {
        let header = try RecordBatchHeader(from: batch, at: batch.readerIndex)
        guard header.attributes & 0x7 == 0 else {
            throw KafkaWireError(.malformed, "compressed batches are not decoded here")
        }
        guard header.recordCount >= 0, header.totalSize >= RecordBatchHeader.size,
              var buffer = batch.getSlice(at: batch.readerIndex + RecordBatchHeader.size,
                                          length: header.totalSize - RecordBatchHeader.size) else {
            throw KafkaWireError(.invalidLength, "record batch of \(header.totalSize) bytes with \(header.recordCount) records")
        }
        var result: [(Int64, KafkaRecord)] = []
        for _ in 0..<header.recordCount {
            _ = try buffer.readVarint() // length
            _ = try buffer.readKafkaInteger(as: Int8.self)
            let tsDelta = try buffer.readVarint()
            let offsetDelta = try buffer.readVarint()
            var record = KafkaRecord(key: try buffer.readVarintBytes(), value: try buffer.readVarintBytes())
            record.timestampDelta = tsDelta
            guard let delta = Int32(exactly: offsetDelta) else {
                throw KafkaWireError(.malformed, "record offset delta \(offsetDelta) out of int32 range")
            }
            record.offsetDelta = delta
            let headers = try buffer.readVarint()
            for _ in 0..<headers {
                _ = try buffer.readVarintBytes()
                _ = try buffer.readVarintBytes()
            }
            result.append((header.baseOffset &+ offsetDelta, record))
        }
        return result
    }
}

extension ByteBuffer {
    /// Zig-zag varint (records inside a batch).
    public mutating func writeVarint(_ value: Int64) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63)) // safe: bitPattern
        while v >= 0x80 {
            writeInteger(UInt8(v & 0x7F | 0x80)) // safe: masked to 8 bits
            v >>= 7
        }
        writeInteger(UInt8(v)) // safe: v < 0x80 here
    }

    public mutating func readVarint() throws -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte: UInt8 = try readKafkaInteger()
            result |= UInt64(byte & 0x7F) << shift // safe: widening
            if byte & 0x80 == 0 { break }
            shift += 7
            guard shift < 64 else { throw KafkaWireError(.malformed, "varint longer than 10 bytes") }
        }
        return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1) // safe: bitPattern
    }

    mutating func writeVarintBytes(_ bytes: [UInt8]?) {
        guard let bytes else { writeVarint(-1); return }
        writeVarint(Int64(bytes.count)) // safe: widening
        writeBytes(bytes)
    }

    mutating func readVarintBytes() throws -> [UInt8]? {
        let length = try readVarint()
        if length < 0 { return nil }
        guard length <= readableBytes, let bytes = readBytes(length: Int(length)) else { // safe: 0 <= length <= readableBytes
            throw KafkaWireError(.truncated, "record field of \(length) bytes")
        }
        return bytes
    }
}
