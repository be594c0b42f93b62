import EmbeddedBroker
import Foundation
import KafkaClient
import Synchronization
import Testing

/// Sessions that are closed while fetched messages are still queued for them (issue #13): the close
/// must hand those messages back instead of tripping librdkafka's `rd_kafka_q_serve` assertion.
/// A short smoke here; `scripts/consumer-close-soak.sh` runs it with many cycles
/// (`KCHAT_CLOSE_CYCLES`) in several processes and counts aborts.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct ConsumerCloseStressTests {
    @Test func closingWhileMessagesFlowNeverAborts() async throws {
        let cycles = ProcessInfo.processInfo.environment["KCHAT_CLOSE_CYCLES"].flatMap { Int($0) } ?? 5
        try await withBroker { broker, _ in
            let topic = uniqueTopic("close-stress")
            let producer = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("producer"))
            defer { producer.shutdown() }
            try await producer.createTopic(name: topic, partitions: 2)
            // A backlog, so that every consumer has fetched far more than its first batch when it closes.
            let value = [UInt8](repeating: 0x61, count: 200)
            for index in 0..<20_000 {
                _ = try producer.produce(topic: topic, value: value, partition: Int32(index % 2))
            }
            #expect(try await producer.flush(timeout: .seconds(30)))
            // And messages still arriving while the consumers come and go.
            let producing = Task {
                var index = 0
                while !Task.isCancelled {
                    for _ in 0..<200 {
                        _ = try? producer.produce(topic: topic, value: value, partition: Int32(index % 2))
                        index += 1
                    }
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
            defer { producing.cancel() }

            var configuration = testConfiguration(port: broker.port)
            configuration.maxBatchSize = 50
            for cycle in 0..<cycles {
                let consumer = try KafkaSession(configuration: configuration, logger: testLogger("consumer"))
                let received = Atomic<Int>(0)
                let partitions = (0..<Int32(2)).map { TopicPartitionOffset(topic: topic, partition: $0, offset: .beginning) }
                if cycle % 10 == 9 {
                    // Now and then a group member (close revokes an assignment, commits, leaves).
                    try consumer.subscribe(topics: [topic], groupID: "close-stress-\(cycle)") { batch in
                        received.add(batch.count, ordering: .relaxed)
                    }
                } else {
                    try consumer.assign(partitions) { batch in
                        received.add(batch.count, ordering: .relaxed)
                    }
                }
                let got = await eventually(timeout: .seconds(20)) { received.load(ordering: .relaxed) > 0 }
                #expect(got, "cycle \(cycle): no message arrived")
                await consumer.shutdown()
            }
        }
    }

    /// A group consumer with auto-commit closed while fetched messages wait undelivered: the close
    /// must not store (and so commit) their offsets — the group resumes after the last delivered one.
    @Test func closingCommitsNothingPastWhatWasDelivered() async throws {
        try await withBroker { broker, _ in
            let topic = uniqueTopic("close-commit")
            let producer = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("producer"))
            defer { producer.shutdown() }
            try await producer.createTopic(name: topic, partitions: 1)
            for index in 0..<5_000 { _ = try producer.produce(topic: topic, value: Array("m\(index)".utf8), partition: 0) }
            #expect(try await producer.flush(timeout: .seconds(30)))

            var configuration = testConfiguration(port: broker.port)
            configuration.maxBatchSize = 10
            configuration.enableAutoCommit = true
            let group = "close-commit-\(topic)"
            let consumer = try KafkaSession(configuration: configuration, logger: testLogger("consumer"))
            let delivered = Atomic<Int64>(-1)
            try consumer.subscribe(topics: [topic], groupID: group) { batch in
                for message in batch { delivered.store(max(delivered.load(ordering: .relaxed), message.offset), ordering: .relaxed) }
                Thread.sleep(forTimeInterval: 0.05)  // a slow handler: librdkafka fetches far ahead of it
            }
            #expect(await eventually(timeout: .seconds(20)) { delivered.load(ordering: .relaxed) >= 0 })
            await consumer.shutdown()
            let last = delivered.load(ordering: .relaxed)
            #expect(last < 4_999, "the test needs messages fetched but not delivered at the close (delivered up to \(last))")

            configuration.enableAutoCommit = false
            let next = try KafkaSession(configuration: configuration, logger: testLogger("next"))
            try next.subscribe(topics: [topic], groupID: group) { _ in }
            let committed = try next.committedOffsets(for: [TopicPartition(topic: topic, partition: 0)])
            await next.shutdown()
            let resume = committed[TopicPartition(topic: topic, partition: 0)] ?? 0
            #expect(resume <= last + 1,
                    "the group would resume at \(resume) after delivering up to \(last): nothing skipped")
        }
    }
}
