import ChatModel
import Foundation

/// One consumed Kafka record, as the store writer needs it.
public typealias StoreInput = TopicRecord

/// What a `StoreWriter.write` call did.
public struct StoreWriteSummary: Sendable, Equatable {
    public var messagesInserted = 0
    public var eventsApplied = 0
    /// Records that could not be decoded or validated, came from another topic, or that the
    /// database refused while it answered everything else: for `chat_dlq`, with the reason.
    /// They are not retried.
    public var deadLetters: [DeadLetter] = []
}

/// The store writer's core, without Kafka: give it each consumed batch of `chat_controlled`
/// (moderated messages, key = channel), `chat_private` (moderated direct messages, key = channel)
/// and `chat_control` (control events, key = user) records, publish the summary's dead letters, then commit the consumer offsets once both are
/// done. Writes are idempotent, so a batch replayed after a crash is harmless.
///
/// A record the database refuses must not stop the writer for good (it would be read again
/// after every restart): when a batch fails, its records are written one by one, and one that
/// fails alone while the database still answers (`ping`) becomes a dead letter. When the
/// database does not answer, the error is thrown and the batch is replayed later.
public struct StoreWriter: Sendable {
    public let store: any ChatStore
    public let topics: TopicNames

    public init(store: any ChatStore, topics: TopicNames = TopicNames()) {
        self.store = store
        self.topics = topics
    }

    /// The topics to subscribe to.
    public var subscribedTopics: [String] { [topics.controlled, topics.control, topics.privateMessages] }

    public func write(_ records: [StoreInput], now: Date = Date()) async throws -> StoreWriteSummary {
        var summary = StoreWriteSummary()
        var messages: [(StoredMessage, StoreInput)] = []
        var events: [(ControlEvent, StoreInput)] = []
        for record in records {
            do {
                switch record.topic {
                case topics.controlled, topics.privateMessages:
                    let channel = record.key.map { String(decoding: $0, as: UTF8.self) }
                    let message = try ChatMessage.decode(from: Data(record.value), defaultChannel: channel)
                    try message.validate()
                    messages.append((StoredMessage(message, kafka: KafkaPosition(partition: record.partition,
                                                                                 offset: record.offset)), record))
                case topics.control:
                    let event = try ControlEvent.decode(from: Data(record.value))
                    try UserName.validate(event.user, field: "user")
                    events.append((event, record))
                default:
                    summary.deadLetters.append(Self.deadLetter(record, reason: "not a store topic", now: now))
                }
            } catch {
                summary.deadLetters.append(Self.deadLetter(record, reason: "\(error)", now: now))
            }
        }
        summary.messagesInserted = try await writeIsolating(messages, into: &summary.deadLetters, now: now) {
            try await store.insert(messages: $0)
        }
        summary.eventsApplied = try await writeIsolating(events, into: &summary.deadLetters, now: now) {
            try await store.apply(controlEvents: $0)
        }
        return summary
    }

    /// Writes `items` in one call; when that fails, one call per item (three tries each), so that
    /// an item the database keeps refusing while it answers `ping` and takes the other items
    /// becomes a dead letter. When no item goes in, the database is the problem, not a record:
    /// the error is thrown and the batch is replayed later.
    private func writeIsolating<Item>(
        _ items: [(Item, StoreInput)], into deadLetters: inout [DeadLetter], now: Date,
        _ write: ([Item]) async throws -> Int
    ) async throws -> Int {
        guard !items.isEmpty else { return 0 }
        do {
            return try await write(items.map(\.0))
        } catch {
            try await store.ping()
        }
        var written = 0
        var anyWritten = false
        var refused: [(record: StoreInput, error: any Error)] = []
        for (item, record) in items {
            var failure: (any Error)?
            for attempt in 0..<3 {
                do {
                    written += try await write([item])
                    anyWritten = true
                    failure = nil
                    break
                } catch {
                    failure = error
                    try await store.ping()  // a database that has gone away: replay the batch later
                    try await Task.sleep(for: .milliseconds(50 << attempt))
                }
            }
            if let failure { refused.append((record, failure)) }
        }
        if let first = refused.first, !anyWritten { throw first.error }
        deadLetters += refused.map { Self.deadLetter($0.record, reason: "the store refused it: \($0.error)", now: now) }
        return written
    }

    static func deadLetter(_ record: StoreInput, reason: String, now: Date) -> DeadLetter {
        DeadLetter(reason: reason, topic: record.topic, partition: record.partition, offset: record.offset,
                   rawKey: record.key, rawValue: record.value, timestamp: now)
    }
}
