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

    /// Validates and sends a message to the `chat` topic (key = channel), signed with `token` in
    /// its `kchat-token` header (default: the configuration's token, none without one); returns
    /// when the broker acknowledged it, throws the validation, token or delivery error otherwise.
    @discardableResult
    public func send(_ message: ChatMessage, token: String? = nil) async throws -> DeliveryReport {
        try message.validate()
        let headers = try token.map { [KafkaHeader(key: ChatMessage.tokenHeader, string: $0)] } ?? configuration.recordHeaders()
        return try await session.send(.message(message, topics: topics), headers: headers)
    }

    /// Sends a control event to `chat_control` (key = user), token header as `send`.
    @discardableResult
    public func publish(_ event: ControlEvent) async throws -> DeliveryReport {
        try await session.send(.control(event, topics: topics), headers: try configuration.recordHeaders())
    }

    public func shutdown() async {
        await session.shutdown()
    }
}
