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
    public var totalSize: Int { Self.logOverhead + Int(batchLength) }
    public var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }

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
    public static func validate(_ records: ByteBuffer) throws -> [(header: RecordBatchHeader, bytes: ByteBuffer)] {
        var result: [(RecordBatchHeader, ByteBuffer)] = []
        var index = records.readerIndex
        while index < records.writerIndex {
            let header = try RecordBatchHeader(from: records, at: index)
            guard header.magic == 2 else {
                throw KafkaWireError(.malformed, "record batch magic \(header.magic), only magic 2 is supported")
            }
            guard header.batchLength >= Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead),
                  index + header.totalSize <= records.writerIndex else {
                throw KafkaWireError(.invalidLength, "record batch length \(header.batchLength) runs past the data")
            }
            guard header.recordCount >= 0, header.lastOffsetDelta >= 0 else {
                throw KafkaWireError(.malformed, "record batch with negative count or offset delta")
            }
            let crcStart = index + RecordBatchHeader.attributesOffset
            let crcLength = header.totalSize - RecordBatchHeader.attributesOffset
            let crc = records.withUnsafeReadableBytes { raw in
                CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[(crcStart - records.readerIndex)..<(crcStart - records.readerIndex + crcLength)]))
            }
            guard crc == header.crc else {
                throw KafkaWireError(.malformed, "record batch CRC mismatch (stored \(header.crc), computed \(crc))")
            }
            result.append((header, records.getSlice(at: index, length: header.totalSize)!))
            index += header.totalSize
        }
        return result
    }

    /// Rewrites the base offset of a batch in place.
    public static func setBaseOffset(_ offset: Int64, in batch: inout ByteBuffer) {
        batch.setInteger(offset, at: batch.readerIndex, endianness: .big)
    }
}
