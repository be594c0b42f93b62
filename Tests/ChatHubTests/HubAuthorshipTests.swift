import ChatAPI
import ChatKafka
import ChatModel
import EmbeddedBroker
import Foundation
import Logging
import Moderation
import Synchronization
import Testing
@testable import ChatHub
import TestSupport

/// Signed authorship through a real broker and the hub's moderator (`--auth sasl`): tokens
/// issued with the hub's secret, checked by the moderator with the same key.
@Suite("Hub authorship", .timeLimit(.minutes(1)))
struct HubAuthorshipTests {
    @Test func withAuthOnOnlyMessagesSignedByTheirAuthorAreDelivered() async throws {
        let data = TemporaryDirectory.make(prefix: "kchat-authorship")
        defer { TemporaryDirectory.remove(data) }
        let broker = try await KafkaBroker.start(BrokerConfiguration(port: 0, dataDirectory: "\(data)/broker"))
        var configuration = HubConfiguration(dataDirectory: data)
        configuration.auth = .sasl
        // An open broker of the test's: the moderator's check is what is under test, not SASL.
        configuration.externalBrokers = "127.0.0.1:\(broker.port)"
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let hub = Hub(configuration: configuration, logger: logger)
        let moderator = try hub.moderatorService(secret: try hub.jwtSecret())
        #expect(moderator.requiresAuthorToken)

        // Tokens as POST /v1/login issues them: the hub's secret (generated in the data directory).
        let api = try APIConfiguration(jwtSecret: try JWTSecret.resolve(file: configuration.secretFile))
        let authority = TokenAuthority(secret: api.jwtSecret, lifetime: api.tokenLifetime)
        let alice = try await authority.issue(for: "alice").token
        let expired = try await authority.issue(for: "alice", now: Date().addingTimeInterval(-2 * 86_400)).token

        let kafka = configuration.kafka
        let producer = try ChatConnection(kafka)
        try await producer.ensureTopics()
        func message(_ id: String, by author: String) -> ChatMessage {
            ChatMessage(id: id, channel: "general", author: author, data: "hello from \(author)")
        }
        try await producer.send(message("signed", by: "alice"), token: alice)
        try await producer.send(message("forged", by: "bob"), token: alice)
        try await producer.send(message("unsigned", by: "alice"))
        try await producer.send(message("expired", by: "alice"), token: expired)
        try await producer.send(message("garbage", by: "alice"), token: "not.a.jwt")
        await producer.shutdown()

        let running = Task { try await moderator.run() }
        defer { running.cancel() }
        let deadline = ContinuousClock.now + .seconds(40)
        var rejected: [ControlEvent] = []
        while rejected.count < 4, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            rejected = try await read(kafka, kafka.topics.control, as: ControlEvent.self).filter { $0.type == .rejected }
        }
        let delivered = try await read(kafka, kafka.topics.controlled, as: ChatMessage.self)
        let letters = try await read(kafka, kafka.topics.deadLetter, as: DeadLetter.self)
        running.cancel()
        _ = await running.result
        try await broker.shutdown()

        #expect(delivered.map(\.id) == ["signed"], "only alice's message signed by alice")
        let reasons = Dictionary(uniqueKeysWithValues: rejected.compactMap { event in event.messageId.map { ($0, event.reason ?? "") } })
        #expect(reasons == [
            "forged": "token names alice, message says bob",
            "unsigned": "unsigned message (no kchat-token header)",
            "expired": "token expired",
            "garbage": "invalid token: malformed token",
        ])
        #expect(rejected.first { $0.messageId == "forged" }?.user == "bob", "the event names the message's author")
        let lettered = letters.compactMap { letter in
            (try? ChatMessage.decode(from: Data(letter.value.utf8))).map { ($0.id, letter.reason) }
        }
        #expect(Dictionary(uniqueKeysWithValues: lettered) == reasons, "each refused record in chat_dlq, raw, with the reason")
    }

    @Test func withAuthOffNothingIsRequired() throws {
        let data = TemporaryDirectory.make(prefix: "kchat-authorship")
        defer { TemporaryDirectory.remove(data) }
        let hub = Hub(configuration: HubConfiguration(dataDirectory: data), logger: Logger(label: "test"))
        #expect(try !hub.moderatorService(secret: hub.jwtSecret()).requiresAuthorToken)
    }

    /// Everything on `topic` now, decoded (undecodable records skipped).
    private func read<T: Decodable & Sendable>(_ kafka: ChatKafkaConfiguration, _ topic: String, as: T.Type) async throws -> [T] {
        let found = Mutex<[T]>([])
        let reader = try TopicReader(kafka, topic: topic)
        _ = try await reader.read(from: .beginning, follow: false) { batch in
            let decoded = batch.compactMap { try? JSONDecoder().decode(T.self, from: Data($0.value)) }
            found.withLock { $0 += decoded }
        }
        await reader.shutdown()
        return found.withLock { $0 }
    }
}
