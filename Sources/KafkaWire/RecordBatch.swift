import NIOCore

/// The fixed 61-byte header of a record batch (magic 2). The broker keeps batches verbatim and
/// only rewrites `baseOffset`; the CRC covers attributes..end, so it stays valid.
public struct RecordBatchHeader: Sendable, Equatable {
    public static let size = 61
    /// Bytes before `batchLength`'s coverage starts (baseOffset + batchLength).
    public static let logOverhead = 12
    static let magicOffset = 16
    static let crcOffset = 17
    static let attributesOffset = 21

    public var baseOffset: Int64
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    public var crc: UInt32
    public var attributes: Int16
    public var lastOffsetDelta: Int32
    public var firstTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerID: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordCount: Int32

    /// Size of the whole batch on the wire / on disk.
    public var totalSize: Int { Self.logOverhead + Int(batchLength) } // safe: widening
    /// The batch's last offset; saturates instead of trapping for a base offset near `Int64.max`
    /// (readers of stored batches check `baseOffset` against the sequence they expect first).
    public var lastOffset: Int64 {
        let (sum, overflow) = baseOffset.addingReportingOverflow(Int64(lastOffsetDelta)) // safe: widening
        return overflow ? (lastOffsetDelta < 0 ? .min : .max) : sum
    }
    /// The compression codec (attributes bits 0-2): 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd.
    public var compression: Int16 { attributes & 0x7 }

    /// Reads a header at `index` without moving the reader index.
    public init(from buffer: ByteBuffer, at index: Int) throws {
        guard buffer.writerIndex - index >= Self.size else {
            throw KafkaWireError(.truncated, "record batch header needs \(Self.size) bytes, \(buffer.writerIndex - index) left")
        }
        func get<T: FixedWidthInteger>(_ offset: Int, _: T.Type = T.self) -> T {
            buffer.getInteger(at: index + offset, endianness: .big, as: T.self)!
        }
        baseOffset = get(0)
        batchLength = get(8)
        partitionLeaderEpoch = get(12)
        magic = get(16)
        crc = get(17)
        attributes = get(21)
        lastOffsetDelta = get(23)
        firstTimestamp = get(27)
        maxTimestamp = get(35)
        producerID = get(43)
        producerEpoch = get(51)
        baseSequence = get(53)
        recordCount = get(57)
    }
}

/// Validation and offset assignment for the `records` bytes of a Produce request.
public enum RecordBatches {
    /// Splits `records` into batches, checking each one's length, magic (must be 2), CRC-32C and
    /// record count. Returns the batches as slices of the input and their headers.
    ///
    /// With `checkRecords` (every produced batch) the header must also tell the truth: at least one
    /// record, last offset delta = count - 1, a known codec, and for uncompressed batches the
    /// records themselves are walked (`checkRecords(_:header:)`). Recovery of the broker's own
    /// files passes false: a batch it stored passed these checks, and the CRC says it is intact.
    public static func validate(_ records: ByteBuffer, checkRecords deep: Bool = true) throws -> [(header: RecordBatchHeader, bytes: ByteBuffer)] {
        var result: [(RecordBatchHeader, ByteBuffer)] = []
        var index = records.readerIndex
        while index < records.writerIndex {
            let header = try RecordBatchHeader(from: records, at: index)
            guard header.magic == 2 else {
                throw KafkaWireError(.malformed, "record batch magic \(header.magic), only magic 2 is supported")
            }
            guard header.batchLength >= Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead), // safe: constant 49
                  index + header.totalSize <= records.writerIndex else {
                throw KafkaWireError(.invalidLength, "record batch length \(header.batchLength) runs past the data")
            }
            guard header.recordCount >= 0, header.lastOffsetDelta >= 0 else {
                throw KafkaWireError(.malformed, "record batch with negative count or offset delta")
            }
            guard !deep || (header.recordCount >= 1 && header.lastOffsetDelta == header.recordCount - 1) else {
                throw KafkaWireError(.malformed, "record batch header claims \(header.recordCount) records with last offset delta \(header.lastOffsetDelta)")
            }
            guard !deep || header.compression <= 4 else {
                throw KafkaWireError(.malformed, "record batch with unknown compression codec \(header.compression)")
            }
            let crcStart = index + RecordBatchHeader.attributesOffset
            let crcLength = header.totalSize - RecordBatchHeader.attributesOffset
            let crc = records.withUnsafeReadableBytes { raw in
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[(crcStart - records.readerIndex)..<(crcStart - records.readerIndex + crcLength)]))
            }
            guard crc == header.crc else {
                throw KafkaWireError(.malformed, "record batch CRC mismatch (stored \(header.crc), computed \(crc))")
            }
            if !deep {
                // structure and CRC only
            } else if header.compression == 0 {
                let start = index + RecordBatchHeader.size - records.readerIndex
                let end = index + header.totalSize - records.readerIndex
                try records.withUnsafeReadableBytes { raw in
                    try checkRecords(UnsafeRawBufferPointer(rebasing: raw[start..<end]), header: header)
                }
            } else if header.totalSize == RecordBatchHeader.size {
                throw KafkaWireError(.malformed, "compressed record batch without a body")
            }
            result.append((header, records.getSlice(at: index, length: header.totalSize)!))
            index += header.totalSize
        }
        return result
    }

    /// Walks the records of an uncompressed batch without allocating: every varint well-formed,
    /// each record exactly as long as its length says, offset deltas 0, 1, ... n-1 (so the header's
    /// count and last offset delta, checked before, describe the records really present), no
    /// timestamp that overflows `firstTimestamp + delta`, and no bytes after the last record.
    static func checkRecords(_ bytes: UnsafeRawBufferPointer, header: RecordBatchHeader) throws {
        var cursor = VarintCursor(bytes: bytes)
        for expectedDelta in 0..<header.recordCount {
            let length = try cursor.varint32("record length")
            guard length >= 0, Int(length) <= cursor.remaining else { // safe: widening
                throw KafkaWireError(.malformed, "record \(expectedDelta) length \(length) with \(cursor.remaining) bytes left in the batch")
            }
            let recordEnd = cursor.position + Int(length) // safe: widening
            try cursor.skip(1, "record attributes")
            let timestampDelta = try cursor.varint64("timestamp delta")
            guard !header.firstTimestamp.addingReportingOverflow(timestampDelta).overflow else {
                throw KafkaWireError(.malformed, "record \(expectedDelta) timestamp delta \(timestampDelta) overflows")
            }
            let offsetDelta = try cursor.varint32("offset delta")
            guard offsetDelta == expectedDelta else {
                throw KafkaWireError(.malformed, "record \(expectedDelta) has offset delta \(offsetDelta)")
            }
            try cursor.skipBytes(nullable: true, "record key")
            try cursor.skipBytes(nullable: true, "record value")
            let headers = try cursor.varint32("header count")
            guard headers >= 0 else { throw KafkaWireError(.malformed, "record \(expectedDelta) header count \(headers)") }
            for _ in 0..<headers {
                try cursor.skipBytes(nullable: false, "header key")
                try cursor.skipBytes(nullable: true, "header value")
            }
            guard cursor.position == recordEnd else {
                throw KafkaWireError(.malformed, "record \(expectedDelta) fields end at \(cursor.position), its length says \(recordEnd)")
            }
        }
        guard cursor.remaining == 0 else {
            throw KafkaWireError(.malformed, "\(cursor.remaining) bytes after the \(header.recordCount) records the batch header claims")
        }
    }

    /// The first record of `batch` whose timestamp is >= `timestamp` (ListOffsets by time): its
    /// offset and timestamp. A compressed batch (not decoded here) or one with log-append time
    /// answers with its base offset and max timestamp when that reaches `timestamp`.
    public static func firstRecord(in batch: ByteBuffer, atOrAfter timestamp: Int64) throws -> (offset: Int64, timestamp: Int64)? {
        let header = try RecordBatchHeader(from: batch, at: batch.readerIndex)
        guard header.totalSize >= RecordBatchHeader.size, header.totalSize <= batch.readableBytes, header.recordCount >= 0 else {
            throw KafkaWireError(.invalidLength, "record batch of \(header.totalSize) bytes")
        }
        let logAppendTime = header.attributes & 0x8 != 0
        guard header.compression == 0, !logAppendTime else {
            return header.maxTimestamp >= timestamp ? (header.baseOffset, header.maxTimestamp) : nil
        }
        return try batch.withUnsafeReadableBytes { raw in
            var cursor = VarintCursor(bytes: UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.size..<header.totalSize]))
            for _ in 0..<header.recordCount {
                let length = try cursor.varint32("record length")
                let recordEnd = cursor.position + Int(length) // safe: widening
                try cursor.skip(1, "record attributes")
                let (recordTime, overflow) = header.firstTimestamp.addingReportingOverflow(try cursor.varint64("timestamp delta"))
                let offsetDelta = try cursor.varint32("offset delta")
                if !overflow, recordTime >= timestamp {
                    return (header.baseOffset &+ Int64(offsetDelta), recordTime) // safe: widening
                }
                try cursor.skip(recordEnd - cursor.position, "record")
            }
            return nil
        }
    }

    /// Rewrites the base offset of a batch in place.
    public static func setBaseOffset(_ offset: Int64, in batch: inout ByteBuffer) {
        batch.setInteger(offset, at: batch.readerIndex, endianness: .big)
    }
}

/// Reads Kafka's zig-zag varints from raw bytes, every read bounds-checked.
struct VarintCursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    /// A varint of at most `maxBytes` bytes (5 for int32 fields, 10 for int64 ones).
    mutating func varint(maxBytes: Int, _ field: String) throws -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for _ in 0..<maxBytes {
            guard position < bytes.count else { throw KafkaWireError(.truncated, "\(field): varint runs past the batch") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift // safe: widening
            if byte & 0x80 == 0 {
                return Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
            }
            shift += 7
        }
        throw KafkaWireError(.malformed, "\(field): varint longer than \(maxBytes) bytes")
    }

    mutating func varint32(_ field: String) throws -> Int32 {
        guard let value = Int32(exactly: try varint(maxBytes: 5, field)) else {
            throw KafkaWireError(.malformed, "\(field): varint out of int32 range")
        }
        return value
    }

    mutating func varint64(_ field: String) throws -> Int64 {
        try varint(maxBytes: 10, field)
    }

    mutating func skip(_ count: Int, _ field: String) throws {
        guard count >= 0, count <= remaining else {
            throw KafkaWireError(.truncated, "\(field) of \(count) bytes with \(remaining) left")
        }
        position += count
    }

    /// A varint length (-1 = null when `nullable`) and that many bytes.
    mutating func skipBytes(nullable: Bool, _ field: String) throws {
        let length = try varint32(field)
        if length == -1, nullable { return }
        try skip(Int(length), field) // safe: widening (negative lengths are refused by skip)
    }
}
