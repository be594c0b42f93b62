import EmbeddedBroker
import KafkaClient
import Synchronization
import Testing

/// Batches of views over librdkafka's messages (``KafkaMessageBatch``) against the embedded broker.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct KafkaMessageBatchTests {
    @Test func viewsHoldWhatWasProducedAndCopiesMatchThem() async throws {
        try await withBroker { broker, _ in
            let topic = uniqueTopic("views")
            let producer = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("producer"))
            defer { producer.shutdown() }
            try await producer.createTopic(name: topic, partitions: 2)
            let count = 300
            for index in 0..<count {
                let headers = index % 3 == 0 ? [KafkaHeader(key: "n", string: "\(index)"), KafkaHeader(key: "empty", value: nil)] : []
                _ = try producer.produce(topic: topic, key: index % 2 == 0 ? "k\(index)" : nil, value: "value-\(index)",
                                         headers: headers, partition: Int32(index % 2))
            }
            #expect(try await producer.flush(timeout: .seconds(20)))

            let consumer = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("consumer"))
            defer { consumer.shutdown() }
            let seen = Mutex<[(view: ViewFacts, copy: ConsumedMessage)]>([])
            try consumer.assign((0..<2).map { TopicPartitionOffset(topic: topic, partition: $0, offset: .beginning) }, onBatch: { batch in
                let facts = batch.map { view in
                    (ViewFacts(view), view.consumedMessage)
                }
                seen.withLock { $0 += facts }
            })
            #expect(await eventually { seen.withLock { $0.count } >= count })
            let all = seen.withLock { $0 }
            #expect(all.count == count)
            for (view, copy) in all {
                #expect(view.topic == topic && copy.topic == topic)
                #expect(view.value == copy.value && view.key == copy.key && view.offset == copy.offset
                        && view.partition == copy.partition && view.valueCount == copy.value.count)
                let index = Int(copy.valueString.dropFirst("value-".count)) ?? -1
                #expect(copy.partition == Int32(index % 2))
                #expect(copy.keyString == (index % 2 == 0 ? "k\(index)" : nil))
                #expect(copy.headers == (index % 3 == 0 ? [KafkaHeader(key: "n", string: "\(index)"), KafkaHeader(key: "empty", value: nil)] : []))
                #expect(copy.timestampMilliseconds != nil)
            }
            #expect(Set(all.map { "\($0.copy.partition)@\($0.copy.offset)" }).count == count)
        }
    }

    /// A batch kept past the session's shutdown stays readable; the consumer handle is destroyed
    /// once it goes (librdkafka requires every message destroyed before its handle).
    @Test func aBatchOutlivesItsSessionAndStaysReadable() async throws {
        try await withBroker { broker, _ in
            let topic = uniqueTopic("outlive")
            let session = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("outlive"))
            try await session.createTopic(name: topic, partitions: 1)
            for index in 0..<50 { _ = try session.produce(topic: topic, value: Array("kept-\(index)".utf8)) }
            #expect(try await session.flush(timeout: .seconds(20)))
            let kept = Mutex<[KafkaMessageBatch]>([])
            try session.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: .beginning)], onBatch: { batch in
                kept.withLock { $0.append(batch) }
            })
            #expect(await eventually { kept.withLock { $0.reduce(0) { $0 + $1.count } } >= 50 })
            await session.shutdown()
            let batches = kept.withLock { batches in
                defer { batches.removeAll() }
                return batches
            }
            let values = batches.flatMap { $0.map { $0.withValue { String(decoding: $0, as: UTF8.self) } } }
            #expect(values == (0..<50).map { "kept-\($0)" })
        }
    }
}

/// What a view says about its message, read while its batch is alive.
struct ViewFacts: Sendable {
    var topic: String
    var partition: Int32
    var offset: Int64
    var key: [UInt8]?
    var value: [UInt8]
    var valueCount: Int

    init(_ view: KafkaMessageView) {
        topic = view.topic
        partition = view.partition
        offset = view.offset
        key = view.withKey { $0.map { Array($0) } }
        value = view.withValue { Array($0) }
        valueCount = view.valueCount
    }
}
