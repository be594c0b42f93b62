import KafkaWire
import NIOCore
import Testing

/// Issue 11: values from the wire never make the wire layer trap, and produced batches must tell
/// the truth beyond their CRC.
@Suite("Hostile input: strings and record batches")
struct HostileInputTests {
    // MARK: strings

    @Test func aStringLongerThanInt16MaxIsClampedInsteadOfTrapping() throws {
        var buffer = ByteBuffer()
        buffer.writeKafkaString(String(repeating: "m", count: 40_000))
        let read = try buffer.readKafkaString()
        #expect(read.utf8.count == 32_767)
        #expect(buffer.readableBytes == 0, "prefix and content agree")
    }

    @Test func clampingCutsAtAUnicodeScalarBoundary() throws {
        var buffer = ByteBuffer()
        buffer.writeKafkaString(String(repeating: "é", count: 20_000)) // 40,000 bytes, 2 per scalar
        let read = try buffer.readKafkaString() // throws if the cut split a scalar (invalid UTF-8)
        #expect(read.utf8.count == 32_766)
        #expect("日本語".kafkaPrefix(maxBytes: 7) == "日本")
        #expect("abc".kafkaPrefix(maxBytes: 3) == "abc")
    }

    @Test func aResponseEchoingAHugeMemberIDEncodes() throws {
        let huge = String(repeating: "c", count: 32_760) + "-1-0123456789abcdef"
        let response = JoinGroupResponse(errorCode: .none, memberID: huge)
        var frame = response.encodedFrame(version: 5, correlationID: 7)
        #expect(frame.readInteger(as: Int32.self) == 7)
    }

    // MARK: record batches

    /// Recomputes the CRC after a header field was changed (as a lying producer would).
    private func withFixedCRC(_ batch: ByteBuffer) -> ByteBuffer {
        var batch = batch
        let crc = batch.withUnsafeReadableBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
        batch.setInteger(crc, at: 17, endianness: .big)
        return batch
    }

    private func build(_ count: Int, timestamp: Int64 = 0) -> ByteBuffer {
        RecordBatches.build(records: (0..<count).map { KafkaRecord(key: nil, value: Array("v\($0)".utf8)) }, timestamp: timestamp)
    }

    private func expectCorrupt(_ batch: ByteBuffer, _ comment: Comment) {
        #expect(throws: KafkaWireError.self, comment) { try RecordBatches.validate(batch) }
    }

    @Test func honestBatchesStillValidate() throws {
        for count in [1, 2, 50] { #expect(try RecordBatches.validate(build(count)).count == 1) }
        var two = build(3)
        var other = build(2)
        two.writeBuffer(&other)
        #expect(try RecordBatches.validate(two).count == 2)
    }

    @Test func aRecordCountThatLiesIsRefused() {
        var batch = build(1)
        batch.setInteger(Int32(5), at: 57, endianness: .big) // record count
        batch.setInteger(Int32(4), at: 23, endianness: .big) // last offset delta, consistent with the lie
        expectCorrupt(withFixedCRC(batch), "5 records claimed, 1 present")
        var fewer = build(3)
        fewer.setInteger(Int32(2), at: 57, endianness: .big)
        fewer.setInteger(Int32(1), at: 23, endianness: .big)
        expectCorrupt(withFixedCRC(fewer), "2 records claimed, 3 present")
    }

    @Test func aLastOffsetDeltaThatLiesIsRefused() {
        var batch = build(1)
        batch.setInteger(Int32(1000), at: 23, endianness: .big)
        expectCorrupt(withFixedCRC(batch), "last offset delta 1000 for 1 record")
    }

    @Test func anEmptyBatchIsRefused() {
        var batch = build(1)
        batch.setInteger(Int32(0), at: 57, endianness: .big)
        batch.setInteger(Int32(0), at: 23, endianness: .big)
        expectCorrupt(withFixedCRC(batch), "no records")
    }

    @Test func offsetDeltasMustBe0To_nMinus1() {
        // The second record's offset delta (byte after its length, attributes and timestamp delta).
        var batch = build(2)
        let firstLength = 1 + Int(batch.getInteger(at: 61, as: UInt8.self)! >> 1)
        let second = 61 + firstLength
        #expect(batch.getInteger(at: second + 3, as: UInt8.self) == 2, "zig-zag 1")
        batch.setInteger(UInt8(4), at: second + 3) // offset delta 2
        expectCorrupt(withFixedCRC(batch), "offset deltas 0, 2")
    }

    @Test func trailingBytesAfterTheRecordsAreRefused() {
        var batch = build(1)
        batch.writeBytes([0, 0, 0])
        batch.setInteger(batch.getInteger(at: 8, as: Int32.self)! + 3, at: 8, endianness: .big) // batch length
        expectCorrupt(withFixedCRC(batch), "3 bytes after the last record")
    }

    @Test func aRecordLengthPastTheBatchIsRefused() {
        var batch = build(1)
        batch.setInteger(UInt8(0x7E), at: 61) // record length 63, far more than is there
        expectCorrupt(withFixedCRC(batch), "record length past the end")
    }

    @Test func anOverlongVarintIsRefused() {
        var batch = build(1)
        // The record length as a 6-byte varint (0x80 x5 ...): longer than an int32 varint may be.
        let records = batch.getBytes(at: 61, length: batch.readableBytes - 61)!
        batch.moveWriterIndex(to: 61)
        batch.writeBytes([0x80, 0x80, 0x80, 0x80, 0x80, 0x00] + records.dropFirst())
        batch.setInteger(batch.getInteger(at: 8, as: Int32.self)! + 5, at: 8, endianness: .big)
        expectCorrupt(withFixedCRC(batch), "6-byte varint")
    }

    @Test func aTimestampDeltaThatOverflowsIsRefused() {
        var record = KafkaRecord(key: nil, value: [1])
        record.timestampDelta = Int64.max
        let batch = RecordBatches.build(records: [record], timestamp: 10)
        expectCorrupt(batch, "10 + Int64.max overflows")
    }

    @Test func compressedBatchesAreCheckedAsFarAsPossibleWithoutDecompressing() throws {
        var gzip = build(3)
        gzip.setInteger(Int16(1), at: 21, endianness: .big) // claims gzip; the body is not decoded
        #expect(try RecordBatches.validate(withFixedCRC(gzip)).count == 1)
        gzip.setInteger(Int32(7), at: 23, endianness: .big)
        expectCorrupt(withFixedCRC(gzip), "compressed, last offset delta 7 with 3 records")
        var unknown = build(1)
        unknown.setInteger(Int16(6), at: 21, endianness: .big)
        expectCorrupt(withFixedCRC(unknown), "codec 6 does not exist")
    }

    @Test func readingRecordsOfABatchWithANegativeCountThrows() {
        var batch = build(1)
        batch.setInteger(Int32(-3), at: 57, endianness: .big)
        #expect(throws: KafkaWireError.self) { try RecordBatches.records(in: batch) }
    }

    @Test func firstRecordAtOrAfterATimestampIsFoundPerRecord() throws {
        let records = [0, 1000, 2000].map { delta -> KafkaRecord in
            var record = KafkaRecord(key: nil, value: [1])
            record.timestampDelta = Int64(delta)
            return record
        }
        let batch = RecordBatches.build(records: records, baseOffset: 10, timestamp: 5000)
        #expect(try RecordBatches.firstRecord(in: batch, atOrAfter: 0)! == (10, 5000))
        #expect(try RecordBatches.firstRecord(in: batch, atOrAfter: 5001)! == (11, 6000))
        #expect(try RecordBatches.firstRecord(in: batch, atOrAfter: 6500)! == (12, 7000))
        #expect(try RecordBatches.firstRecord(in: batch, atOrAfter: 7001) == nil)
    }
}
