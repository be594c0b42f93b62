import Foundation

/// A fresh directory under the system temp dir (`<prefix>-<UUID>`), removed when the value is
/// released (or by `remove()`).
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "kchat-test") {
        path = Self.make(prefix: prefix)
    }

    deinit { Self.remove(path) }

    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// Creates a new empty directory `<temp>/<prefix>-<UUID>` and returns its path; the caller
    /// removes it with `remove(_:)` (typically in a `defer`).
    public static func make(prefix: String = "kchat-test") -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Removes `path` and everything below it; a missing path is fine.
    public static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
