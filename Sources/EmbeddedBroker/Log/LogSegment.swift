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
    let logFD: Int32
    let indexFD: Int32
    private var entries_: [BatchEntry] = []
    private var size_: Int = 0
    var entries: [BatchEntry] { entries_ }
    var size: Int { size_ }

    var nextOffset: Int64 { entries.last.map { $0.lastOffset + 1 } ?? baseOffset }

    init(directory: String, baseOffset: Int64) throws {
        self.baseOffset = baseOffset
        let name = String(repeating: "0", count: max(0, 20 - String(baseOffset).count)) + String(baseOffset)
        logPath = "\(directory)/\(name).log"
        indexPath = "\(directory)/\(name).index"
        logFD = try FileIO.open(logPath, create: true)
        do {
            indexFD = try FileIO.open(indexPath, create: true)
        } catch {
            FileIO.close(logFD)
            throw error
        }
    }

    deinit {
        FileIO.close(logFD)
        FileIO.close(indexFD)
    }

    /// Appends batches whose offsets are already assigned; `bytes` holds them back to back.
    func append(_ bytes: ByteBuffer, entries newEntries: [BatchEntry]) throws {
        try bytes.withUnsafeReadableBytes { try FileIO.pwriteAll(logFD, $0, at: size) }
        var index = ByteBuffer()
        index.reserveCapacity(newEntries.count * BatchEntry.indexSize)
        for entry in newEntries {
            index.writeInteger(entry.baseOffset, endianness: .big)
            index.writeInteger(entry.lastOffset, endianness: .big)
            index.writeInteger(UInt32(entry.position), endianness: .big)
            index.writeInteger(UInt32(entry.size), endianness: .big)
            index.writeInteger(entry.maxTimestamp, endianness: .big)
        }
        try index.withUnsafeReadableBytes {
            try FileIO.pwriteAll(indexFD, $0, at: entries.count * BatchEntry.indexSize)
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
        let read = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { raw in
            try FileIO.preadAll(logFD, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<total]), at: start)
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
        try FileIO.truncate(indexFD, to: 0)
        try append(ByteBuffer(), entries: recovered)
        try FileIO.sync(indexFD)
    }

    func sync() throws {
        try FileIO.sync(logFD)
    }

    func syncIndex() throws {
        try FileIO.sync(indexFD)
    }
}

// `sync()` touches only the file descriptor, fixed at init and closed at deinit; the mutable
// state is serialised by the owning `PartitionLog`. So the sync thread may hold and sync a segment.
extension LogSegment: DurableFile, @unchecked Sendable {}
