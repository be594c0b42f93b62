import KafkaWire
import NIOCore

/// Where one stored record batch lives.
struct BatchEntry: Equatable, Sendable {
    var baseOffset: Int64
    var lastOffset: Int64
    var position: Int
    var size: Int
    var maxTimestamp: Int64

    static let indexSize = 32
}

/// One `<baseOffset>.log` file of record batches stored verbatim (base offsets rewritten), and its
/// `<baseOffset>.index` of batch positions. Not thread-safe: `PartitionLog` serialises access.
final class LogSegment {
    let baseOffset: Int64
    let logPath: String
    let indexPath: String
    /// Where the descriptors live: opened on demand, closed when least recently used.
    let files: FileCache
    /// The log file for the sync thread (this class is not thread-safe; that one is).
    let durableLog: SegmentLogFile
    private var entries_: [BatchEntry] = []
    private var size_: Int = 0
    var entries: [BatchEntry] { entries_ }
    var size: Int { size_ }

    var nextOffset: Int64 { entries.last.map { $0.lastOffset &+ 1 } ?? baseOffset }

    init(directory: String, baseOffset: Int64, files: FileCache) throws {
        self.baseOffset = baseOffset
        self.files = files
        let name = String(repeating: "0", count: max(0, 20 - String(baseOffset).count)) + String(baseOffset)
        logPath = "\(directory)/\(name).log"
        indexPath = "\(directory)/\(name).index"
        durableLog = SegmentLogFile(path: logPath, files: files)
        // Opened afresh: a descriptor cached for an earlier file at this path (a deleted topic
        // recreated under its name) must not be used for this one.
        files.forget(logPath)
        files.forget(indexPath)
        _ = try files.file(logPath, create: true)
        _ = try files.file(indexPath, create: true)
    }

    func logFile() throws -> OpenFile { try files.file(logPath) }
    func indexFile() throws -> OpenFile { try files.file(indexPath) }

    /// Appends batches whose offsets are already assigned; `bytes` holds them back to back.
    func append(_ bytes: ByteBuffer, entries newEntries: [BatchEntry]) throws {
        var index = ByteBuffer()
        index.reserveCapacity(newEntries.count * BatchEntry.indexSize)
        for entry in newEntries {
            // Positions and sizes are 32-bit in the index: a segment never grows past 4 GiB.
            guard let position = UInt32(exactly: entry.position), let size = UInt32(exactly: entry.size) else {
                throw BrokerError(.io, "\(logPath): batch at \(entry.position) of \(entry.size) bytes is past the 4 GiB a segment index addresses")
            }
            index.writeInteger(entry.baseOffset, endianness: .big)
            index.writeInteger(entry.lastOffset, endianness: .big)
            index.writeInteger(position, endianness: .big)
            index.writeInteger(size, endianness: .big)
            index.writeInteger(entry.maxTimestamp, endianness: .big)
        }
        try logFile().withFD { fd in try bytes.withUnsafeReadableBytes { try FileIO.pwriteAll(fd, $0, at: size) } }
        try indexFile().withFD { fd in
            try index.withUnsafeReadableBytes { try FileIO.pwriteAll(fd, $0, at: entries.count * BatchEntry.indexSize) }
        }
        entries_.append(contentsOf: newEntries)
        size_ += bytes.readableBytes
    }

    /// Index of the first batch holding an offset >= `offset`, if any.
    func firstEntry(atOrAfter offset: Int64) -> Int? {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].lastOffset < offset { low = mid + 1 } else { high = mid }
        }
        return low < entries.count ? low : nil
    }

    /// Reads whole batches from entry `first`, at least one, stopping before `maxBytes` is passed.
    func read(from first: Int, maxBytes: Int, allocator: ByteBufferAllocator) throws -> (ByteBuffer, Int) {
        var last = first
        var total = entries[first].size
        while last + 1 < entries.count, total + entries[last + 1].size <= maxBytes {
            last += 1
            total += entries[last].size
        }
        var buffer = allocator.buffer(capacity: total)
        let start = entries[first].position
        let read = try logFile().withFD { fd in
            try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { raw in
                try FileIO.preadAll(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<total]), at: start)
            }
        }
        guard read == total else { throw BrokerError(.io, "short read in \(logPath): \(read) of \(total)") }
        return (buffer, last - first + 1)
    }

    func setRecovered(_ recovered: [BatchEntry], size: Int) {
        entries_ = recovered
        size_ = size
    }

    /// Replaces the index file with `recovered` and adopts it.
    func rewriteIndex(_ recovered: [BatchEntry], size: Int) throws {
        setRecovered([], size: size)
        try indexFile().withFD { try FileIO.truncate($0, to: 0) }
        try append(ByteBuffer(), entries: recovered)
        try syncIndex()
    }

    func sync() throws {
        try durableLog.sync()
    }

    func syncIndex() throws {
        try indexFile().sync()
    }
}

/// A segment's log file as the sync thread holds it: its path, reached through the thread-safe
/// `FileCache` (the descriptor may have been closed and reopened since the append). One per
/// segment, so the scheduler serves all appends to a segment with one `fdatasync`.
final class SegmentLogFile: DurableFile {
    let path: String
    let files: FileCache

    init(path: String, files: FileCache) {
        self.path = path
        self.files = files
    }

    func sync() throws {
        try files.file(path).sync()
    }
}
