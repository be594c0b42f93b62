import Foundation
import KafkaWire
import Synchronization

/// All topics and their partition logs, kept under `<data>/topics/<topic>/<partition>/`.
final class TopicStore: Sendable {
    private let root: String
    private let segmentBytes: Int
    /// Most topics; past it `create` answers POLICY_VIOLATION.
    let maxTopics: Int
    /// Most partitions of a topic; past it `create` answers INVALID_PARTITIONS.
    let maxPartitions: Int
    /// The open descriptors of every segment of every topic, bounded.
    let files: FileCache
    private let topics: Mutex<[String: [PartitionLog]]>

    init(dataDirectory: String, segmentBytes: Int, maxTopics: Int = 1_000, maxPartitions: Int = 64,
         maxOpenFiles: Int = 512) throws {
        root = "\(dataDirectory)/topics"
        self.segmentBytes = segmentBytes
        self.maxTopics = maxTopics
        self.maxPartitions = maxPartitions
        let files = FileCache(capacity: maxOpenFiles)
        self.files = files
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        var topics: [String: [PartitionLog]] = [:]
        let root = root
        // Topics already on disk are all loaded, even past the limits (they only stop new ones).
        for name in try fm.contentsOfDirectory(atPath: root) where Self.isValidName(name) {
            let partitions = try fm.contentsOfDirectory(atPath: "\(root)/\(name)").compactMap { Int32($0) }.sorted() // safe: failable parse of a directory name
            guard !partitions.isEmpty, partitions == Array(0..<Int32(clamping: partitions.count)) else { continue }
            topics[name] = try partitions.map {
                try PartitionLog(topic: name, partition: $0, directory: "\(root)/\(name)/\($0)", segmentBytes: segmentBytes,
                                 files: files)
            }
        }
        self.topics = Mutex(topics)
    }

    /// A topic name for log lines and error messages: at most 100 bytes of it.
    static func shown(_ name: String) -> String {
        name.utf8.count <= 100 ? "'\(name)'" : "'\(name.kafkaPrefix(maxBytes: 100))...' (\(name.utf8.count) bytes)"
    }

    /// Kafka's rule for topic names: 1-249 of [a-zA-Z0-9._-], not "." or "..".
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 249, name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
    }

    var names: [String] { topics.withLock { $0.keys.sorted() } }

    func partitions(of topic: String) -> [PartitionLog]? {
        topics.withLock { $0[topic] }
    }

    func partition(_ topic: String, _ index: Int32) -> PartitionLog? {
        topics.withLock { topics in
            guard let partitions = topics[topic], index >= 0, Int(index) < partitions.count else { return nil } // safe: widening
            return partitions[Int(index)] // safe: widening, checked in range above
        }
    }

    var count: Int { topics.withLock { $0.count } }

    /// Why `create(name, partitions:)` would fail, without creating anything (also for validate_only).
    func check(_ name: String, partitions: Int) -> (KafkaErrorCode, String?) {
        guard Self.isValidName(name) else {
            return (.invalidTopicException, "invalid topic name \(Self.shown(name)): 1-249 of [a-zA-Z0-9._-], not '.' or '..'")
        }
        guard partitions >= 1, partitions <= maxPartitions else {
            return (.invalidPartitions, "\(partitions) partitions: this broker allows 1...\(maxPartitions) per topic")
        }
        return topics.withLock { topics in
            if topics[name] != nil { return (.topicAlreadyExists, "topic '\(name)' already exists") }
            if topics.count >= maxTopics { return (.policyViolation, "this broker holds its maximum of \(maxTopics) topics") }
            return (.none, nil)
        }
    }

    /// Creates a topic; `.topicAlreadyExists` / `.invalidTopicException` / `.invalidPartitions` /
    /// `.policyViolation` (too many topics) on failure, with a message of bounded length.
    func create(_ name: String, partitions: Int) -> (KafkaErrorCode, String?) {
        let (code, message) = check(name, partitions: partitions)
        guard code == .none, let count = Int32(exactly: partitions) else { return (code, message) }
        return topics.withLock { topics in
            if topics[name] != nil { return (.topicAlreadyExists, "topic '\(name)' already exists") }
            if topics.count >= maxTopics { return (.policyViolation, "this broker holds its maximum of \(maxTopics) topics") }
            do {
                let partitions = try (0..<count).map {
                    try PartitionLog(topic: name, partition: $0, directory: "\(root)/\(name)/\($0)", segmentBytes: segmentBytes,
                                     files: files, syncParents: false)
                }
                // Once for the topic, not once per partition: the partitions' names, then the topic's.
                try FileIO.syncDirectory("\(root)/\(name)")
                try FileIO.syncDirectory(root)
                topics[name] = partitions
                return (.none, nil)
            } catch {
                files.forget(under: "\(root)/\(name)")
                try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
                return (.unknownServerError, "\(error)".kafkaPrefix(maxBytes: 1000))
            }
        }
    }

    func delete(_ name: String) -> KafkaErrorCode {
        let removed = topics.withLock { $0.removeValue(forKey: name) }
        guard let removed else { return .unknownTopicOrPartition }
        for log in removed { log.close(delete: true) }
        try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
        return .none
    }

    func syncAll() {
        for log in topics.withLock({ $0.values.flatMap { $0 } }) { try? log.sync() }
    }
}
