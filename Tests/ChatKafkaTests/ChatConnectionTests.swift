import ChatKafka
import EmbeddedBroker
import Foundation
import KafkaClient
import Synchronization
import Testing

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
}

/// Runs `body` against a fresh embedded broker in a temporary directory.
func withBroker(_ body: (ChatKafkaConfiguration) async throws -> Void) async throws {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("kchat-chatkafka-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: data) }
    let broker = try await KafkaBroker.start(BrokerConfiguration(port: 0, dataDirectory: data))
    do {
        try await body(ChatKafkaConfiguration(brokers: "127.0.0.1:\(broker.port)"))
    } catch {
        try await broker.shutdown()
        throw error
    }
    try await broker.shutdown()
}
