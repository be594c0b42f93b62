import ChatHub
import Foundation
import Logging
import Synchronization

/// A swift-log handler appending lines to a file: the chat UI owns the terminal, so library
/// logging (librdkafka's included) must not reach it.
struct FileLogHandler: LogHandler {
    /// The file, written by one thread at a time (lines from librdkafka's threads and ours).
    private final class Sink: Sendable {
        private let handle: Mutex<FileHandle?>

        init(path: String) {
            handle = Mutex(try? FileHandle.appending(toPath: path))
        }

        func write(_ line: String) {
            handle.withLock { $0?.write(Data(line.utf8)) }
        }
    }

    private let sink: Sink
    private let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, path: String) {
        self.label = label
        sink = Sink(path: path)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let extra = merged.isEmpty ? "" : " " + merged.map { "\($0)=\($1)" }.sorted().joined(separator: " ")
        sink.write("\(Date()) \(event.level) \(label):\(extra) \(event.message)\n")
    }
}
