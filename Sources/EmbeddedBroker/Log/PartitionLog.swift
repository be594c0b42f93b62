import Foundation
import KafkaWire
import NIOCore
import Synchronization

/// One partition: its segments, its end offset and the fetches waiting for new data.
/// Thread-safe; every method may be called from any event loop.
final class PartitionLog: Sendable {
    struct ReadResult {
        var error: KafkaErrorCode = .none
        var records: [ByteBuffer] = []
        var highWatermark: Int64
        var logStartOffset: Int64
        var bytes: Int { records.reduce(0) { $0 + $1.readableBytes } }
    }

    let topic: String
    let partition: Int32
    let directory: String
    private let segmentBytes: Int
    private let files: FileCache
    private let state: Mutex<State>

    private struct State {
        /// Oldest first; never empty.
        var segments: [LogSegment]
        var waiters: [UInt64: @Sendable () -> Void] = [:]
        var closed = false
    }

    /// `syncParents: false` leaves syncing the topic and topics directories of a new partition to
    /// the caller (`TopicStore.create` does it once for all of a topic's partitions).
    init(topic: String, partition: Int32, directory: String, segmentBytes: Int,
         files: FileCache = FileCache(capacity: 64), syncParents: Bool = true) throws {
        self.files = files
        self.topic = topic
        self.partition = partition
        self.directory = directory
        self.segmentBytes = segmentBytes
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let bases = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".log") }
            .compactMap { Int64($0.dropLast(4)) } // safe: failable parse of a file name
            .sorted()
        var segments: [LogSegment] = []
        var expected: Int64 = bases.first ?? 0
        for (i, base) in bases.enumerated() {
            let segment = try LogSegment(directory: directory, baseOffset: base, files: files)
            let isLast = i == bases.count - 1
            let indexed = !isLast && base == expected ? try segment.loadIndex() : false
            if !indexed {
                try segment.recover(expectedBase: base)
            }
            expected = segment.nextOffset
            segments.append(segment)
        }
        if segments.isEmpty {
            segments.append(try LogSegment(directory: directory, baseOffset: 0, files: files))
            // A new partition: make its file and directories (partition, topic) durable.
            try FileIO.syncDirectory(directory)
            if syncParents {
                let topicDirectory = (directory as NSString).deletingLastPathComponent
                for path in [topicDirectory, (topicDirectory as NSString).deletingLastPathComponent] {
                    try FileIO.syncDirectory(path)
                }
            }
        }
        state = Mutex(State(segments: segments))
    }

    var highWatermark: Int64 { state.withLock { $0.segments[$0.segments.count - 1].nextOffset } }
    var logStartOffset: Int64 { state.withLock { $0.segments[0].baseOffset } }

    /// Appends already validated batches, assigning offsets; they are readable at once (as in Kafka,
    /// the end offset moves on append). Returns the first assigned offset and the file to sync
    /// before acknowledging them as durable.
    func append(_ batches: [(header: RecordBatchHeader, bytes: ByteBuffer)]) throws -> (base: Int64, file: any DurableFile) {
        let (base, file) = try state.withLock { state -> (Int64, SegmentLogFile) in
            guard !state.closed else { throw BrokerError(.unknownTopic, "\(topic)-\(partition) was deleted") }
            var active = state.segments[state.segments.count - 1]
            let incoming = batches.reduce(0) { $0 + $1.bytes.readableBytes }
            if active.size > 0, active.size + incoming > segmentBytes {
                try active.sync()
                try active.syncIndex()
                active = try LogSegment(directory: directory, baseOffset: active.nextOffset, files: files)
                try FileIO.syncDirectory(directory)  // the new segment's name survives a power loss
                state.segments.append(active)
            }
            let base = active.nextOffset
            var next = base
            var position = active.size
            var bytes = ByteBuffer()
            bytes.reserveCapacity(incoming)
            var entries: [BatchEntry] = []
            entries.reserveCapacity(batches.count)
            for (header, batch) in batches {
                var batch = batch
                RecordBatches.setBaseOffset(next, in: &batch)
                let (last, overflow) = next.addingReportingOverflow(Int64(header.lastOffsetDelta)) // safe: widening
                guard !overflow, last < Int64.max else { throw BrokerError(.corruptData, "\(topic)-\(partition): offsets past Int64.max") }
                entries.append(BatchEntry(baseOffset: next, lastOffset: last,
                                          position: position, size: header.totalSize, maxTimestamp: header.maxTimestamp))
                next = last + 1
                position += header.totalSize
                bytes.writeBuffer(&batch)
            }
            try active.append(bytes, entries: entries)
            return (base, active.durableLog)
        }
        wakeWaiters()
        return (base, file)
    }

    /// Reads whole batches from `offset`, up to `maxBytes` (at least one batch). The batches
    /// returned are contiguous: a read goes on into the next segment only once it has read its
    /// segment to the end (a consumer resumes after the last record it got, so anything skipped
    /// between the batches would never be read).
    func read(from offset: Int64, maxBytes: Int, allocator: ByteBufferAllocator) -> ReadResult {
        state.withLock { state in
            let segments = state.segments
            let end = segments[segments.count - 1].nextOffset
            let start = segments[0].baseOffset
            var result = ReadResult(highWatermark: end, logStartOffset: start)
            guard !state.closed else { result.error = .unknownTopicOrPartition; return result }
            guard offset >= start, offset <= end else { result.error = .offsetOutOfRange; return result }
            guard offset < end else { return result }
            var index = segments.lastIndex { $0.baseOffset <= offset } ?? 0
            var budget = maxBytes
            while index < segments.count, budget > 0 || result.records.isEmpty {
                let segment = segments[index]
                if let first = segment.firstEntry(atOrAfter: offset) {
                    // Past the first batch only whole batches within the budget.
                    if !result.records.isEmpty, segment.entries[first].size > budget { break }
                    do {
                        let (bytes, count) = try segment.read(from: first, maxBytes: max(budget, 0), allocator: allocator)
                        budget -= bytes.readableBytes
                        result.records.append(bytes)
                        if first + count < segment.entries.count { break } // stopped inside this segment
                    } catch {
                        result.error = .unknownServerError
                        return result
                    }
                }
                index += 1
            }
            return result
        }
    }

    /// Bytes of the batches from `offset` to the end, counted from the index without reading
    /// them, and the end offset they were counted at; nil once the partition is deleted.
    func bytesAvailable(from offset: Int64) -> (bytes: Int, end: Int64)? {
        state.withLock { state in
            guard !state.closed else { return nil }
            var bytes = 0
            for segment in state.segments where segment.nextOffset > offset {
                if let first = segment.firstEntry(atOrAfter: offset) {
                    bytes += segment.size - segment.entries[first].position
                }
            }
            return (bytes, state.segments[state.segments.count - 1].nextOffset)
        }
    }

    /// The first record whose timestamp is >= `timestamp` (ListOffsets): its offset and timestamp,
    /// or nil when there is none (Kafka answers offset -1, timestamp -1). The index's max timestamp
    /// of each batch finds the batch; its records are then read to find the record.
    func offset(forTimestamp timestamp: Int64) throws -> (offset: Int64, timestamp: Int64)? {
        try state.withLock { state in
            for segment in state.segments {
                for (i, entry) in segment.entries.enumerated() where entry.maxTimestamp >= timestamp {
                    let (batch, _) = try segment.read(from: i, maxBytes: 0, allocator: ByteBufferAllocator())
                    if let found = try RecordBatches.firstRecord(in: batch, atOrAfter: timestamp) { return found }
                }
            }
            return nil
        }
    }

    /// Registers `wake` to run once new data is appended, unless the end offset already moved
    /// past `seenEnd` (then it returns false and the caller reads again at once).
    func addWaiter(id: UInt64, seenEnd: Int64, wake: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            guard !state.closed, state.segments[state.segments.count - 1].nextOffset == seenEnd else { return false }
            state.waiters[id] = wake
            return true
        }
    }

    func removeWaiter(id: UInt64) {
        state.withLock { _ = $0.waiters.removeValue(forKey: id) }
    }

    private func wakeWaiters() {
        let woken = state.withLock { state in
            let current = state.waiters
            state.waiters.removeAll(keepingCapacity: true)
            return current
        }
        for wake in woken.values { wake() }
    }

    /// Closes the files; with `delete`, removes the partition's directory.
    func close(delete: Bool) {
        state.withLock { $0.closed = true }
        wakeWaiters()
        if delete {
            files.forget(under: directory)
            try? FileManager.default.removeItem(atPath: directory)
            files.forget(under: directory) // in case a sync reopened a file meanwhile
        }
    }

    func sync() throws {
        try state.withLock { state in
            for segment in state.segments {
                try segment.sync()
                try segment.syncIndex()
            }
        }
    }
}
