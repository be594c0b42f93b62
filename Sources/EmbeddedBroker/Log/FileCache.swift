import Synchronization

/// The open file descriptors of every segment (log and index files), at most `capacity` at once.
/// A file is opened on first use and stays open until it is the least recently used one when
/// another must be opened. An evicted `OpenFile` is closed when its last holder lets go, so a
/// read, write or sync in progress on it finishes on a valid descriptor. fdatasync on a reopened
/// descriptor flushes the file's dirty pages all the same (they belong to the inode), and Linux
/// reports a writeback error not yet seen to a descriptor opened after it.
final class FileCache: Sendable {
    private struct Entry {
        var file: OpenFile
        var lastUse: UInt64
    }

    private struct State {
        var files: [String: Entry] = [:]
        var clock: UInt64 = 0
        var opens = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(capacity, 2)
    }

    /// Descriptors open now (held by the cache).
    var openCount: Int { state.withLock { $0.files.count } }
    /// Files opened so far (each reopen counts).
    var opens: Int { state.withLock { $0.opens } }

    /// The open file at `path`, opening it (creating it when `create`) if it is not open.
    func file(_ path: String, create: Bool = false) throws -> OpenFile {
        let hit = state.withLock { state -> OpenFile? in
            state.clock &+= 1
            guard let entry = state.files[path] else { return nil }
            state.files[path]!.lastUse = state.clock
            return entry.file
        }
        if let hit { return hit }
        let opened = try OpenFile(path: path, create: create)
        let (file, evicted) = state.withLock { state -> (OpenFile, [OpenFile]) in
            state.clock &+= 1
            if let raced = state.files[path] {
                state.files[path]!.lastUse = state.clock
                return (raced.file, [opened])
            }
            var evicted: [OpenFile] = []
            while state.files.count >= capacity, let oldest = state.files.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.files.removeValue(forKey: oldest.key)
                evicted.append(oldest.value.file)
            }
            state.files[path] = Entry(file: opened, lastUse: state.clock)
            state.opens += 1
            return (opened, evicted)
        }
        _ = evicted // closed here, outside the lock, unless someone still holds one
        return file
    }

    /// Drops the cached descriptor of `path`, if any (a segment made anew must not reach an older
    /// file that was at the same path through a stale descriptor).
    func forget(_ path: String) {
        let dropped = state.withLock { $0.files.removeValue(forKey: path) }
        _ = dropped
    }

    /// Drops every file under `directory` (a deleted partition: a new one at the same path must
    /// not reach the unlinked files through a cached descriptor).
    func forget(under directory: String) {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let dropped = state.withLock { state -> [OpenFile] in
            let keys = state.files.keys.filter { $0.hasPrefix(prefix) }
            return keys.compactMap { state.files.removeValue(forKey: $0)?.file }
        }
        _ = dropped
    }
}
