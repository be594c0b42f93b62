import ChatModel
import Foundation
import KafkaClient
import Logging

/// A Kafka session speaking kchat: sends chat messages and control events, makes sure the topics
/// exist. One producer handle; consumers are separate sessions (see `ChannelReader`).
public final class ChatConnection: Sendable {
    public let configuration: ChatKafkaConfiguration
    public let session: KafkaSession
    public let logger: Logger
    public var topics: TopicNames { configuration.topics }

    public init(_ configuration: ChatKafkaConfiguration, logger: Logger = Logger(label: "kchat.kafka")) throws {
        self.configuration = configuration
        self.logger = logger
        session = try KafkaSession(configuration: configuration.kafkaConfiguration(), logger: logger)
    }

    /// Creates the kchat topics that do not exist yet.
    public func ensureTopics() async throws {
        try await Self.ensureTopics(session: session, configuration: configuration)
    }

    /// Creates the kchat topics that do not exist yet, over any session. A user of a broker with
    /// ACLs may neither see every topic (the dead letters) nor create any: a refusal is skipped
    /// (the hub's services create them; what the user needs and cannot reach fails when used).
    public static func ensureTopics(session: KafkaSession, configuration: ChatKafkaConfiguration) async throws {
        let existing = Set(try await session.listTopics())
        for topic in configuration.topics.all where !existing.contains(topic) {
            do {
                try await session.createTopic(name: topic, partitions: configuration.partitions)
            } catch {
                if error.code != .topicAlreadyExists, error.code != .authorization { throw error }
            }
        }
    }

    /// Validates and sends a message to the `chat` topic (key = channel); returns when the broker
    /// acknowledged it, throws the validation or delivery error otherwise.
    @discardableResult
    public func send(_ message: ChatMessage) async throws -> DeliveryReport {
        try message.validate()
        return try await session.send(topic: topics.chat, key: Array(message.channel.utf8), value: Array(message.jsonData()))
    }

    /// Sends a control event to `chat_control` (key = user).
    @discardableResult
    public func publish(_ event: ControlEvent) async throws -> DeliveryReport {
        try await session.send(topic: topics.control, key: Array(event.user.utf8), value: Array(event.jsonData()))
    }

    public func shutdown() async {
        await session.shutdown()
    }
}
