import KafkaWire
import NIOCore

extension LogSegment {
    /// Rebuilds the batch list of this segment from its log file, checking every batch (length,
    /// magic, CRC-32C, offsets following on from `expectedBase`). The log is truncated at the
    /// first batch that fails: a torn tail from a crash is cut, everything before it is kept.
    /// Returns the number of bytes cut.
    @discardableResult
    func recover(expectedBase: Int64) throws -> Int {
        let log = try logFile()
        let fileSize = try log.withFD { try FileIO.size($0) }
        var data = ByteBuffer()
        if fileSize > 0 {
            _ = try log.withFD { fd in
                try data.writeWithUnsafeMutableBytes(minimumWritableBytes: fileSize) { raw in
                    try FileIO.preadAll(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<fileSize]), at: 0)
                }
            }
        }
        var recovered: [BatchEntry] = []
        var position = 0
        var next = expectedBase
        while position < data.writerIndex {
            guard let slice = data.getSlice(at: position, length: data.writerIndex - position),
                  let header = try? RecordBatchHeader(from: slice, at: 0),
                  header.baseOffset == next,
                  header.lastOffset < Int64.max,
                  header.totalSize >= RecordBatchHeader.size, header.totalSize <= slice.readableBytes,
                  let batch = slice.getSlice(at: 0, length: header.totalSize),
                  let batches = try? RecordBatches.validate(batch, checkRecords: false),
                  batches.count == 1
            else { break }
            recovered.append(BatchEntry(baseOffset: header.baseOffset, lastOffset: header.lastOffset,
                                        position: position, size: header.totalSize, maxTimestamp: header.maxTimestamp))
            position += header.totalSize
            next = header.lastOffset + 1
        }
        let cut = fileSize - position
        if cut > 0 { try log.withFD { try FileIO.truncate($0, to: position) } }
        try rewriteIndex(recovered, size: position)
        return cut
    }

    /// Loads the batch list from the index file when it is consistent with the log file;
    /// returns false (and loads nothing) when it is not.
    func loadIndex() throws -> Bool {
        let index = try indexFile()
        let indexSize = try index.withFD { try FileIO.size($0) }
        let logSize = try logFile().withFD { try FileIO.size($0) }
        guard indexSize % BatchEntry.indexSize == 0 else { return false }
        var data = ByteBuffer()
        if indexSize > 0 {
            _ = try index.withFD { fd in
                try data.writeWithUnsafeMutableBytes(minimumWritableBytes: indexSize) { raw in
                    try FileIO.preadAll(fd, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<indexSize]), at: 0)
                }
            }
        }
        var loaded: [BatchEntry] = []
        var position = 0
        var next = baseOffset
        while data.readableBytes >= BatchEntry.indexSize {
            let entry = BatchEntry(baseOffset: data.readInteger(endianness: .big)!,
                                   lastOffset: data.readInteger(endianness: .big)!,
                                   position: Int(data.readInteger(endianness: .big, as: UInt32.self)!), // safe: widening
                                   size: Int(data.readInteger(endianness: .big, as: UInt32.self)!), // safe: widening
                                   maxTimestamp: data.readInteger(endianness: .big)!)
            guard entry.baseOffset == next, entry.position == position, entry.lastOffset >= entry.baseOffset,
                  entry.lastOffset < Int64.max, entry.size >= RecordBatchHeader.size else {
                return false
            }
            loaded.append(entry)
            position += entry.size
            next = entry.lastOffset + 1
        }
        guard position == logSize else { return false }
        setRecovered(loaded, size: position)
        return true
    }
}
