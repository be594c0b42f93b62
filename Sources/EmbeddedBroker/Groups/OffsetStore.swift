import Foundation

/// Committed offsets of every group, durable in `<data>/groups/offsets.log`: one JSON line per
/// committed partition, appended, and synced (by the caller, through the group-commit thread)
/// before the commit is acknowledged; the last line for a key wins, a torn last line is ignored,
/// and the file is compacted when mostly stale. Deleting a topic appends a tombstone line
/// (`"x":true`) that drops every earlier line of that topic, so its offsets stay gone after a
/// restart. Confined to the coordinator's event loop.
final class OffsetStore {
    struct Key: Hashable, Codable {
        var group: String
        var topic: String
        var partition: Int32
    }

    struct Committed: Codable, Equatable {
        var offset: Int64
        var metadata: String?
    }

    private struct Line: Codable {
        var g: String
        var t: String
        var p: Int32
        var o: Int64
        var m: String?
        /// A tombstone: every offset of topic `t` (any group) is gone.
        var x: Bool?
    }

    private let path: String
    private var file: OpenFile?
    private var lines = 0
    private(set) var offsets: [Key: Committed] = [:]

    init(dataDirectory: String) throws {
        let directory = "\(dataDirectory)/groups"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = "\(directory)/offsets.log"
        if let data = FileManager.default.contents(atPath: path) {
            let decoder = JSONDecoder()
            for raw in data.split(separator: UInt8(ascii: "\n")) { // safe: ASCII literal
                guard let line = try? decoder.decode(Line.self, from: raw) else { continue }
                if line.x == true {
                    offsets = offsets.filter { $0.key.topic != line.t }
                    continue
                }
                offsets[Key(group: line.g, topic: line.t, partition: line.p)] = Committed(offset: line.o, metadata: line.m)
            }
        }
        try compact()
    }

    /// Appends the commit and applies it; returns the file to sync before acknowledging it.
    func commit(group: String, _ entries: [(topic: String, partition: Int32, committed: Committed)]) throws -> any DurableFile {
        var text = ""
        let encoder = JSONEncoder()
        for entry in entries {
            let line = Line(g: group, t: entry.topic, p: entry.partition, o: entry.committed.offset, m: entry.committed.metadata)
            text += String(decoding: try encoder.encode(line), as: UTF8.self) + "\n"
        }
        guard let file else { throw BrokerError(.io, "\(path) is not open") }
        let size = try FileIO.size(file.fd)
        try Array(text.utf8).withUnsafeBytes { try FileIO.pwriteAll(file.fd, $0, at: size) }
        for entry in entries {
            offsets[Key(group: group, topic: entry.topic, partition: entry.partition)] = entry.committed
        }
        lines += entries.count
        // A compaction writes (and syncs) the whole state, this commit included, to a new file.
        if lines > 10_000, lines > 4 * offsets.count { try compact() }
        return file
    }

    func offsets(group: String) -> [Key: Committed] {
        offsets.filter { $0.key.group == group }
    }

    /// Forgets every committed offset of `topic`; returns the file to sync before that is durable,
    /// nil when nothing was committed for it.
    func removeTopic(_ topic: String) throws -> (any DurableFile)? {
        guard offsets.keys.contains(where: { $0.topic == topic }) else { return nil }
        let line = Line(g: "", t: topic, p: -1, o: -1, m: nil, x: true)
        let text = String(decoding: try JSONEncoder().encode(line), as: UTF8.self) + "\n"
        guard let file else { throw BrokerError(.io, "\(path) is not open") }
        try file.withFD { fd in
            let size = try FileIO.size(fd)
            try Array(text.utf8).withUnsafeBytes { try FileIO.pwriteAll(fd, $0, at: size) }
        }
        offsets = offsets.filter { $0.key.topic != topic }
        lines += 1
        return file
    }

    /// Rewrites the file with only the current offsets (write to a temp file, fsync, rename).
    private func compact() throws {
        let encoder = JSONEncoder()
        var text = ""
        for (key, value) in offsets {
            let line = Line(g: key.group, t: key.topic, p: key.partition, o: value.offset, m: value.metadata)
            text += String(decoding: try encoder.encode(line), as: UTF8.self) + "\n"
        }
        let temp = path + ".tmp"
        let tempFD = try FileIO.open(temp, create: true)
        defer { FileIO.close(tempFD) }
        try FileIO.truncate(tempFD, to: 0)
        try Array(text.utf8).withUnsafeBytes { try FileIO.pwriteAll(tempFD, $0, at: 0) }
        try FileIO.sync(tempFD)
        guard rename(temp, path) == 0 else { throw BrokerError(.io, "rename \(temp): \(FileIO.errnoText())") }
        try FileIO.syncDirectory((path as NSString).deletingLastPathComponent)
        file = try OpenFile(path: path)
        lines = offsets.count
    }
}
