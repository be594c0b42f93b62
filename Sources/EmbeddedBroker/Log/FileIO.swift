#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, throwing wrappers over the POSIX calls the log uses.
enum FileIO {
    static func open(_ path: String, create: Bool) throws -> Int32 {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = path.withCString { Glibc.open($0, flags, 0o644) }
        guard fd >= 0 else { throw BrokerError(.io, "open \(path): \(errnoText())") }
        return fd
    }

    static func size(_ fd: Int32) throws -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw BrokerError(.io, "fstat: \(errnoText())") }
        return Int(st.st_size) // safe: off_t is Int64 = Int on the 64-bit platforms we build for
    }

    static func pwriteAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var written = 0
        while written < bytes.count {
            let n = Glibc.pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(offset + written))
            if n < 0 {
                if errno == EINTR { continue }
                throw BrokerError(.io, "pwrite: \(errnoText())")
            }
            written += n
        }
    }

    static func preadAll(_ fd: Int32, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        var read = 0
        while read < bytes.count {
            let n = Glibc.pread(fd, bytes.baseAddress! + read, bytes.count - read, off_t(offset + read))
            if n < 0 {
                if errno == EINTR { continue }
                throw BrokerError(.io, "pread: \(errnoText())")
            }
            if n == 0 { break }
            read += n
        }
        return read
    }

    static func truncate(_ fd: Int32, to size: Int) throws {
        guard ftruncate(fd, off_t(size)) == 0 else { throw BrokerError(.io, "ftruncate: \(errnoText())") }
    }

    static func sync(_ fd: Int32) throws {
        guard fdatasync(fd) == 0 else { throw BrokerError(.io, "fdatasync: \(errnoText())") }
    }

    /// Makes a directory's entries (created or renamed files) durable.
    static func syncDirectory(_ path: String) throws {
        let fd = path.withCString { Glibc.open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw BrokerError(.io, "open \(path): \(errnoText())") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BrokerError(.io, "fsync \(path): \(errnoText())") }
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

/// An open file descriptor, closed when the last holder lets go: the sync thread may still hold
/// one that its owner has already replaced.
final class OpenFile: DurableFile {
    let fd: Int32

    init(path: String, create: Bool = true) throws {
        fd = try FileIO.open(path, create: create)
    }

    deinit { FileIO.close(fd) }

    func sync() throws { try withFD { try FileIO.sync($0) } }

    /// Runs `body` with the descriptor, keeping this object (and so the descriptor) alive until it
    /// returns: reading `fd` alone would let the last reference go before the system call.
    func withFD<R>(_ body: (Int32) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(fd) }
    }
}
