import ChatKafka
import ChatModel
import EmbeddedBroker
import Foundation
import KafkaClient
import Synchronization
import Testing
import TestSupport

@Suite("ChatConnection", .timeLimit(.minutes(1)))
struct ChatConnectionTests {
    /// A moderator that stops after it was handed a batch but before it published the outputs
    /// must not have committed that batch: librdkafka's auto-commit (on a timer and on close)
    /// would, and the restarted moderator would skip those messages.
    @Test func aGroupConsumerCommitsNothingItWasNotToldTo() async throws {
        try await withBroker { kafka in
            let producer = try ChatConnection(kafka)
            try await producer.ensureTopics()
            for i in 0..<5 {
                try await producer.session.send(topic: kafka.topics.chat, key: "general", value: "m\(i)")
            }
            await producer.shutdown()

            let consumer = try ChatConnection(kafka)
            let received = Atomic<Int>(0)
            try consumer.session.subscribe(topics: [kafka.topics.chat], groupID: "handed-out") { batch in
                received.add(batch.count, ordering: .relaxed)
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while received.load(ordering: .relaxed) < 5, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(received.load(ordering: .relaxed) == 5)
            await consumer.shutdown()

            let checker = try ChatConnection(kafka)
            try checker.session.subscribe(topics: [kafka.topics.chat], groupID: "handed-out") { _ in }
            let partitions = (0..<Int32(kafka.partitions)).map { TopicPartition(topic: kafka.topics.chat, partition: $0) }
            let committed = try checker.session.committedOffsets(for: partitions)
            #expect(committed.isEmpty, "committed without being asked: \(committed)")
            await checker.shutdown()
        }
    }

    /// Signed authorship: with a token in the configuration every record sent carries it in the
    /// `kchat-token` header (here over a plaintext connection: explicit `-X` security wins for the
    /// connection, the header is still sent); an explicit token wins over the configuration's.
    @Test func recordsCarryTheUsersTokenInTheirHeader() async throws {
        try await withBroker { open in
            var kafka = open
            kafka.properties["security.protocol"] = "PLAINTEXT"
            kafka.token = { OAuthBearerToken(token: "alice-token", expiresAt: Date().addingTimeInterval(3600), principal: "alice") }
            #expect(try kafka.recordHeaders() == [KafkaHeader(key: ChatMessage.tokenHeader, string: "alice-token")])
            #expect(try open.recordHeaders().isEmpty, "no token, no header")
            let chat = try ChatConnection(kafka)
            try await chat.ensureTopics()
            try await chat.send(ChatMessage(id: "signed", channel: "general", author: "alice", data: "hi"))
            try await chat.send(ChatMessage(id: "explicit", channel: "general", author: "alice", data: "hi"), token: "api-token")
            try await chat.publish(.join(user: "alice", channel: "general"))
            await chat.shutdown()

            var headers: [String: [KafkaHeader]] = [:]
            for topic in [kafka.topics.chat, kafka.topics.control] {
                let found = Mutex<[ConsumedMessage]>([])
                let reader = try TopicReader(open, topic: topic)
                try await reader.read(from: .beginning, follow: false) { batch in found.withLock { $0 += batch } }
                await reader.shutdown()
                for record in found.withLock({ $0 }) {
                    let id = (try? ChatMessage.decode(from: Data(record.value)).id) ?? topic
                    headers[id] = record.headers
                }
            }
            #expect(headers["signed"] == [KafkaHeader(key: ChatMessage.tokenHeader, string: "alice-token")])
            #expect(headers["explicit"] == [KafkaHeader(key: ChatMessage.tokenHeader, string: "api-token")])
            #expect(headers[kafka.topics.control] == [KafkaHeader(key: ChatMessage.tokenHeader, string: "alice-token")])
        }
    }
}

/// Runs `body` against a fresh embedded broker in a temporary directory.
func withBroker(_ body: (ChatKafkaConfiguration) async throws -> Void) async throws {
    let data = TemporaryDirectory.make(prefix: "kchat-chatkafka")
    defer { TemporaryDirectory.remove(data) }
    let broker = try await KafkaBroker.start(BrokerConfiguration(port: 0, dataDirectory: data))
    do {
        try await body(ChatKafkaConfiguration(brokers: "127.0.0.1:\(broker.port)"))
    } catch {
        try await broker.shutdown()
        throw error
    }
    try await broker.shutdown()
}
