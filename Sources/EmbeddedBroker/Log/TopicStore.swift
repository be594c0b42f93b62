import Foundation
import KafkaWire
import NIOConcurrencyHelpers

/// All topics and their partition logs, kept under `<data>/topics/<topic>/<partition>/`.
final class TopicStore: @unchecked Sendable {
    private let root: String
    private let segmentBytes: Int
    private let lock = NIOLock()
    private var topics: [String: [PartitionLog]] = [:]

    init(dataDirectory: String, segmentBytes: Int) throws {
        root = "\(dataDirectory)/topics"
        self.segmentBytes = segmentBytes
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: root) where Self.isValidName(name) {
            let partitions = try fm.contentsOfDirectory(atPath: "\(root)/\(name)").compactMap { Int32($0) }.sorted()
            guard !partitions.isEmpty, partitions == Array(0..<Int32(partitions.count)) else { continue }
            topics[name] = try partitions.map {
                try PartitionLog(topic: name, partition: $0, directory: "\(root)/\(name)/\($0)", segmentBytes: segmentBytes)
            }
        }
    }

    /// Kafka's rule for topic names: 1-249 of [a-zA-Z0-9._-], not "." or "..".
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 249, name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
    }

    var names: [String] { lock.withLock { topics.keys.sorted() } }

    func partitions(of topic: String) -> [PartitionLog]? {
        lock.withLock { topics[topic] }
    }

    func partition(_ topic: String, _ index: Int32) -> PartitionLog? {
        lock.withLock {
            guard let partitions = topics[topic], index >= 0, Int(index) < partitions.count else { return nil }
            return partitions[Int(index)]
        }
    }

    /// Creates a topic; `.topicAlreadyExists` / `.invalidTopicException` / `.invalidPartitions` on failure.
    func create(_ name: String, partitions: Int) -> (KafkaErrorCode, String?) {
        guard Self.isValidName(name) else { return (.invalidTopicException, "invalid topic name '\(name)'") }
        guard partitions >= 1, partitions <= 10_000 else { return (.invalidPartitions, "partitions must be 1...10000") }
        return lock.withLock {
            if topics[name] != nil { return (.topicAlreadyExists, "topic '\(name)' already exists") }
            do {
                topics[name] = try (0..<Int32(partitions)).map {
                    try PartitionLog(topic: name, partition: $0, directory: "\(root)/\(name)/\($0)", segmentBytes: segmentBytes)
                }
                return (.none, nil)
            } catch {
                try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
                return (.unknownServerError, "\(error)")
            }
        }
    }

    func delete(_ name: String) -> KafkaErrorCode {
        let removed = lock.withLock { topics.removeValue(forKey: name) }
        guard let removed else { return .unknownTopicOrPartition }
        for log in removed { log.close(delete: true) }
        try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
        return .none
    }

    func syncAll() {
        for log in lock.withLock({ topics.values.flatMap { $0 } }) { try? log.sync() }
    }
}
