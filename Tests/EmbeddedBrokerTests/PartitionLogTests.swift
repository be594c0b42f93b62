import Foundation
import KafkaWire
import NIOCore
import Testing
@testable import EmbeddedBroker
import TestSupport

@Suite("Partition log: storage and crash recovery")
struct PartitionLogTests {
    private func batch(_ values: [String]) throws -> [(header: RecordBatchHeader, bytes: ByteBuffer)] {
        try RecordBatches.validate(RecordBatches.build(records: values.map { KafkaRecord(key: nil, value: Array($0.utf8)) }))
    }

    private func values(_ log: PartitionLog, from offset: Int64 = 0) throws -> [String] {
        let result = log.read(from: offset, maxBytes: 1 << 30, allocator: .init())
        return try result.records.flatMap { buffer in
            try RecordBatches.validate(buffer).flatMap { try RecordBatches.records(in: $0.bytes) }
                .filter { $0.offset >= offset }
                .map { String(decoding: $0.record.value!, as: UTF8.self) }
        }
    }

    @Test func assignsOffsetsAndReadsFromAnyOffset() throws {
        let dir = TemporaryDirectory()
        let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 1 << 20)
        #expect(try log.append(batch(["a", "b", "c"]), sync: true) == 0)
        #expect(try log.append(batch(["d"]), sync: false) == 3)
        #expect(log.highWatermark == 4)
        #expect(try values(log) == ["a", "b", "c", "d"])
        #expect(try values(log, from: 1) == ["b", "c", "d"])
        #expect(try values(log, from: 3) == ["d"])
        #expect(log.read(from: 4, maxBytes: 100, allocator: .init()).records.isEmpty)
        #expect(log.read(from: 5, maxBytes: 100, allocator: .init()).error == .offsetOutOfRange)
    }

    @Test func reopensWithEverythingAndRollsSegments() throws {
        let dir = TemporaryDirectory()
        do {
            let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 300)
            for i in 0..<20 { _ = try log.append(batch(["message-\(i)"]), sync: false) }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".log") }
        #expect(files.count > 3, "small segments should roll")
        let reopened = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 300)
        #expect(reopened.highWatermark == 20)
        #expect(try values(reopened) == (0..<20).map { "message-\($0)" })
        #expect(try values(reopened, from: 13) == (13..<20).map { "message-\($0)" })
        #expect(try reopened.append(batch(["next"]), sync: false) == 20)
    }

    /// A consumer pages through a log of many segments with a small max_bytes, asking each time
    /// from the offset after the last record it got: it must see every offset once, in order. A read
    /// that stops inside a segment must not go on into the next one (that skipped the rest of the
    /// segment: records lost to every consumer once a partition rolled its first segment).
    @Test(arguments: [1, 150, 250, 400, 1 << 20])
    func pagingAcrossSegmentsSeesEveryOffsetOnce(maxBytes: Int) throws {
        let dir = TemporaryDirectory()
        let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 300)
        for i in 0..<30 { _ = try log.append(batch(["message-\(i)", "more-\(i)"]), sync: false) }
        let segments = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".log") }
        #expect(segments.count > 5)
        var seen: [Int64] = []
        var next: Int64 = 0
        while next < log.highWatermark {
            let result = log.read(from: next, maxBytes: maxBytes, allocator: .init())
            #expect(result.error == .none)
            let offsets = try result.records.flatMap { buffer in
                try RecordBatches.validate(buffer).flatMap { try RecordBatches.records(in: $0.bytes) }.map(\.offset)
            }.filter { $0 >= next }
            guard let last = offsets.last else { Issue.record("no records at \(next)"); break }
            seen += offsets
            next = last + 1
        }
        #expect(seen == Array(0..<60))
    }

    @Test(arguments: [1, 7, 30, 61, 62])
    func tornTailIsCutAndEverythingBeforeItKept(cut: Int) throws {
        let dir = TemporaryDirectory()
        do {
            let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 1 << 20)
            _ = try log.append(batch(["one", "two"]), sync: true)
            _ = try log.append(batch(["three"]), sync: true)
        }
        let path = dir.path + "/00000000000000000000.log"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - cut).write(to: URL(fileURLWithPath: path))
        let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 1 << 20)
        #expect(log.highWatermark == 2)
        #expect(try values(log) == ["one", "two"])
        #expect(try log.append(batch(["again"]), sync: true) == 2)
        #expect(try values(log) == ["one", "two", "again"])
    }

    @Test func corruptByteInTheLastBatchIsDetectedByCRC() throws {
        let dir = TemporaryDirectory()
        do {
            let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 1 << 20)
            _ = try log.append(batch(["keep"]), sync: true)
            _ = try log.append(batch(["flipped"]), sync: true)
        }
        let path = dir.path + "/00000000000000000000.log"
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[data.count - 3] ^= 0xFF
        try data.write(to: URL(fileURLWithPath: path))
        let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 1 << 20)
        #expect(try values(log) == ["keep"])
    }

    @Test func waiterIsWokenByAppendAndNotWhenEndAlreadyMoved() throws {
        let dir = TemporaryDirectory()
        let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 1 << 20)
        let woken = WakeCounter()
        #expect(log.addWaiter(id: 1, seenEnd: 0) { woken.increment() })
        _ = try log.append(batch(["x"]), sync: false)
        #expect(woken.value == 1)
        #expect(!log.addWaiter(id: 2, seenEnd: 0) { woken.increment() }, "end moved: caller must read again")
        #expect(log.addWaiter(id: 3, seenEnd: 1) { woken.increment() })
        log.removeWaiter(id: 3)
        _ = try log.append(batch(["y"]), sync: false)
        #expect(woken.value == 1)
    }
}

final class WakeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
