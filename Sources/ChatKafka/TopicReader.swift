import ChatModel
import Foundation
import KafkaClient
import Logging
import Synchronization

/// Reads one topic from the beginning (or the end) without a consumer group, optionally
/// stopping once everything that existed at the start has been read.
public final class TopicReader: Sendable {
    public enum Start: Sendable {
        case beginning
        case end
        /// The next offset to read, by partition (partitions not listed start at the beginning).
        case offsets([Int32: Int64])
    }

    private let session: KafkaSession
    private let topic: String

    public init(_ configuration: ChatKafkaConfiguration, topic: String, logger: Logger = Logger(label: "kchat.reader")) throws {
        var kafka = configuration.kafkaConfiguration(clientSuffix: "reader")
        kafka.enableAutoCommit = false
        // A reader never creates what it reads (librdkafka's producer default would, on a broker
        // that auto-creates, when the topic is looked up by name).
        if kafka.extraProperties["allow.auto.create.topics"] == nil { kafka.extraProperties["allow.auto.create.topics"] = "false" }
        session = try KafkaSession(configuration: kafka, logger: logger)
        self.topic = topic
    }

    /// Calls `handle` with every batch. Without `follow`, returns once each partition reached the
    /// end offset it had when reading began, and returns those end offsets (where to go on from);
    /// with `follow`, runs until the task is cancelled or the session shuts down.
    /// A topic that does not exist throws `.unknownTopic`; one the principal may not read
    /// `.authorization` (TOPIC_AUTHORIZATION_FAILED).
    @discardableResult
    public func read(from start: Start, follow: Bool,
                     handle: @escaping @Sendable ([ConsumedMessage]) -> Void) async throws -> [Int32: Int64] {
        let ends: [Int32: Int64]
        do {
            ends = try await session.endOffsets(topic: topic)
        } catch {
            throw await refined(error)
        }
        func first(_ partition: Int32) -> Int64 {
            switch start {
            case .beginning: 0
            case .end: ends[partition] ?? 0
            case .offsets(let offsets): offsets[partition] ?? 0
            }
        }
        var remaining = Set(ends.filter { first($0.key) < $0.value }.keys)
        if !follow, remaining.isEmpty { return ends }
        let partitions = ends.keys.sorted().map {
            TopicPartitionOffset(topic: topic, partition: $0, offset: .offset(first($0)))
        }
        // librdkafka reports a refused Fetch as an error event and keeps retrying: a reader
        // that may not read the topic stops instead, with the broker's answer.
        let refused = Mutex<KafkaError?>(nil)
        let session = session
        session.setEventHandler { event in
            guard case .error(let error) = event, error.code == .authorization else { return }
            let first = refused.withLock { refused in
                defer { refused = refused ?? error }
                return refused == nil
            }
            if first { Task { await session.shutdown() } }
        }
        defer { session.setEventHandler(nil) }
        for try await batch in try session.assign(partitions) {
            handle(batch)
            guard !follow else { continue }
            for message in batch where message.offset + 1 >= ends[message.partition] ?? 0 {
                remaining.remove(message.partition)
            }
            if remaining.isEmpty { break }
        }
        if let error = refused.withLock({ $0 }) {
            throw KafkaError(code: .authorization, reason: "not allowed to read \(topic): \(error.reason)")
        }
        return ends
    }

    /// A listing of all topics leaves out what the principal may not describe: for a topic it
    /// does not show, ask for this one by name, which says TOPIC_AUTHORIZATION_FAILED.
    private func refined(_ error: KafkaError) async -> KafkaError {
        guard error.code == .unknownTopic else { return error }
        do {
            let described = try await session.metadata(topic: topic)
            if let refusal = described.error, refusal.code == .authorization {
                return KafkaError(code: .authorization, reason: "not allowed to read \(topic): \(refusal.reason)")
            }
        } catch {}
        return error
    }

    public func shutdown() async {
        await session.shutdown()
    }
}
