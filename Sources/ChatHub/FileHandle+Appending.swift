import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension FileHandle {
    /// `path` opened for appending, created (0644) when missing: what earlier runs wrote stays,
    /// and every write lands at the end, also when several processes share the file.
    public static func appending(toPath path: String) throws -> FileHandle {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSFilePathErrorKey: path,
                NSLocalizedDescriptionKey: "cannot open \(path) for appending: \(String(cString: strerror(errno)))",
            ])
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
