import KafkaWire
import NIOCore
import Testing

@Suite("Record batches and CRC-32C")
struct RecordBatchTests {
    @Test func crc32cKnownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }

    @Test func builtBatchValidatesAndReadsBack() throws {
        let records = (0..<5).map { KafkaRecord(key: nil, value: Array("m\($0)".utf8)) }
        var batch = RecordBatches.build(records: records)
        RecordBatches.setBaseOffset(100, in: &batch)
        let validated = try RecordBatches.validate(batch)
        #expect(validated.count == 1)
        #expect(validated[0].header.baseOffset == 100)
        #expect(validated[0].header.lastOffset == 104)
        let read = try RecordBatches.records(in: batch)
        #expect(read.map(\.offset) == [100, 101, 102, 103, 104])
        #expect(read.map { $0.record.value! } == records.map { $0.value! })
    }

    @Test func anyFlippedByteUnderTheCRCIsDetected() throws {
        let batch = RecordBatches.build(records: [KafkaRecord(key: Array("key".utf8), value: Array("value".utf8))])
        for index in 21..<batch.readableBytes {
            var corrupt = batch
            corrupt.setInteger(corrupt.getInteger(at: index, as: UInt8.self)! ^ 0x01, at: index)
            #expect(throws: KafkaWireError.self) { try RecordBatches.validate(corrupt) }
        }
    }

    @Test func wrongMagicAndShortDataAreRejected() {
        var batch = RecordBatches.build(records: [KafkaRecord(key: nil, value: [1])])
        batch.setInteger(Int8(1), at: 16)
        #expect { try RecordBatches.validate(batch) } throws: { ($0 as? KafkaWireError)?.code == .malformed }
        let short = RecordBatches.build(records: [KafkaRecord(key: nil, value: [1])])
        #expect(throws: KafkaWireError.self) { try RecordBatches.validate(short.getSlice(at: 0, length: short.readableBytes - 1)!) }
    }

    @Test func varintsRoundTrip() throws {
        for value: Int64 in [0, 1, -1, 63, -64, 64, 300, -300, Int64(Int32.max), Int64.min, Int64.max] {
            var buffer = ByteBuffer()
            buffer.writeVarint(value)
            #expect(try buffer.readVarint() == value)
        }
    }
}
