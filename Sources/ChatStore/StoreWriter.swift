import ChatModel
import Foundation

/// One consumed Kafka record, as the store writer needs it.
public typealias StoreInput = TopicRecord

/// What a `StoreWriter.write` call did.
public struct StoreWriteSummary: Sendable, Equatable {
    public struct Skipped: Sendable, Equatable {
        public var topic: String
        public var partition: Int32
        public var offset: Int64
        public var reason: String
    }

    public var messagesInserted = 0
    public var eventsApplied = 0
    /// Records that could not be decoded or validated, or came from another topic. They are
    /// not retried: the moderator has already validated what reaches `chat_controlled`.
    public var skipped: [Skipped] = []
}

/// The store writer's core, without Kafka: give it each consumed batch of `chat_controlled`
/// (moderated messages, key = channel) and `chat_control` (control events, key = user)
/// records, then commit the consumer offsets once `write` returns. Writes are idempotent,
/// so a batch replayed after a crash is harmless.
public struct StoreWriter: Sendable {
    public let store: any ChatStore
    public let topics: TopicNames

    public init(store: any ChatStore, topics: TopicNames = TopicNames()) {
        self.store = store
        self.topics = topics
    }

    /// The topics to subscribe to.
    public var subscribedTopics: [String] { [topics.controlled, topics.control] }

    public func write(_ records: [StoreInput]) async throws -> StoreWriteSummary {
        var summary = StoreWriteSummary()
        var messages: [StoredMessage] = []
        var events: [ControlEvent] = []
        for record in records {
            do {
                switch record.topic {
                case topics.controlled:
                    let channel = record.key.map { String(decoding: $0, as: UTF8.self) }
                    let message = try ChatMessage.decode(from: Data(record.value), defaultChannel: channel)
                    try message.validate()
                    messages.append(StoredMessage(message, kafka: KafkaPosition(partition: record.partition,
                                                                                offset: record.offset)))
                case topics.control:
                    let event = try ControlEvent.decode(from: Data(record.value))
                    try UserName.validate(event.user, field: "user")
                    events.append(event)
                default:
                    summary.skipped.append(.init(topic: record.topic, partition: record.partition,
                                                 offset: record.offset, reason: "not a store topic"))
                }
            } catch {
                summary.skipped.append(.init(topic: record.topic, partition: record.partition,
                                             offset: record.offset, reason: "\(error)"))
            }
        }
        if !messages.isEmpty { summary.messagesInserted = try await store.insert(messages: messages) }
        if !events.isEmpty { summary.eventsApplied = try await store.apply(controlEvents: events) }
        return summary
    }
}
