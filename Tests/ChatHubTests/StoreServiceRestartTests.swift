import ChatAPIModels
import ChatKafka
import ChatModel
import ChatStore
import EmbeddedBroker
import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing
@testable import ChatHub
import TestSupport

@Suite("Store writer restarts", .timeLimit(.minutes(1)))
struct StoreServiceRestartTests {
    @Test func aFailedWriteRestartsTheWriterAndLosesNothing() async throws {
        let hub = try await StoreServiceFixture.start()
        defer { hub.removeData() }
        let (broker, kafka, producer) = (hub.broker, hub.kafka, hub.producer)
        let sent = (0..<60).map { i in
            ChatMessage(id: "restart-\(i)", channel: "room\(i % 3)", author: "u\(i % 5)", data: "hello \(i)",
                        timestamp: Date(timeIntervalSince1970: 1_795_305_600 + Double(i)))
        }
        for message in sent {
            try await producer.session.send(topic: kafka.topics.controlled, key: Array(message.channel.utf8),
                                            value: Array(message.jsonData()))
        }
        await producer.shutdown()

        let inner = try SQLChatStore.inMemory()
        let store = FlakyStore(inner, failingInserts: 2)
        let service = hub.service(store: store)

        try await testGracefulShutdown { trigger in
            async let run: Void = service.run()
            let deadline = ContinuousClock.now + .seconds(40)
            while try await inner.stats().totals.messages < sent.count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            trigger.triggerGracefulShutdown()
            try await run
        }
        try await broker.shutdown()

        #expect(store.failuresLeft == 0, "the writer met both failures")
        var stored: [String] = []
        for channel in 0..<3 {
            stored += try await inner.history(channel: "room\(channel)", before: nil, limit: 100).messages.map(\.id)
        }
        #expect(stored.sorted() == sent.map(\.id).sorted(), "every message once, after two failed writes")
    }
}

extension StoreServiceRestartTests {
    @Test func aRecordTheStoreRefusesGoesToTheDeadLetterTopicAndTheRestIsStored() async throws {
        let hub = try await StoreServiceFixture.start()
        defer { hub.removeData() }
        let (broker, kafka, producer) = (hub.broker, hub.kafka, hub.producer)
        let sent = ["before", "poison", "after"].map { id in
            ChatMessage(id: id, channel: "general", author: "alice", data: "hello \(id)",
                        timestamp: Date(timeIntervalSince1970: 1_795_305_600))
        }
        // Not JSON at all: a dead letter without asking the database.
        try await producer.session.send(topic: kafka.topics.controlled, key: Array("general".utf8), value: Array("{{{".utf8))
        for message in sent {
            try await producer.session.send(topic: kafka.topics.controlled, key: Array("general".utf8),
                                            value: Array(message.jsonData()))
        }

        let inner = try SQLChatStore.inMemory()
        let store = FlakyStore(inner, failingInserts: 0, refusing: ["poison"])
        let service = hub.service(store: store)

        let late = ChatMessage(id: "late", channel: "general", author: "bob", data: "still stored",
                               timestamp: Date(timeIntervalSince1970: 1_795_305_601))
        try await testGracefulShutdown { trigger in
            async let run: Void = service.run()
            let deadline = ContinuousClock.now + .seconds(40)
            func stored() async throws -> [String] {
                try await inner.history(channel: "general", before: nil, limit: 100).messages.map(\.id)
            }
            while try await stored().count < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await producer.session.send(topic: kafka.topics.controlled, key: Array("general".utf8),
                                            value: Array(late.jsonData()))
            while try await !stored().contains("late"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            trigger.triggerGracefulShutdown()
            try await run
        }
        await producer.shutdown()

        let stored = try await inner.history(channel: "general", before: nil, limit: 100).messages.map(\.id)
        #expect(stored.sorted() == ["after", "before", "late"])
        let letters = Mutex<[DeadLetter]>([])
        let reader = try TopicReader(kafka, topic: kafka.topics.deadLetter)
        _ = try await reader.read(from: .beginning, follow: false) { batch in
            let decoded = batch.compactMap { try? JSONDecoder().decode(DeadLetter.self, from: Data($0.value)) }
            letters.withLock { $0 += decoded }
        }
        await reader.shutdown()
        try await broker.shutdown()
        let dead = letters.withLock { $0 }
        #expect(dead.map(\.offset) == [0, 2], "the malformed record and the refused one, nothing else")
        #expect(dead.first?.reason.contains("malformed JSON") == true)
        #expect(dead.last?.reason.hasPrefix("the store refused it") == true)
        #expect(dead.last?.value == String(decoding: sent[1].jsonData(), as: UTF8.self))
    }
}

/// A store whose first `failingInserts` message inserts fail, as a deadlock or a lost database
/// connection would; everything else goes to `inner`.
/// A broker in a temporary directory, the chat topics on it, and a producer.
struct StoreServiceFixture {
    let data: String
    let broker: KafkaBroker
    let kafka: ChatKafkaConfiguration
    let producer: ChatConnection

    static func start() async throws -> StoreServiceFixture {
        let data = TemporaryDirectory.make(prefix: "kchat-store")
        let broker = try await KafkaBroker.start(BrokerConfiguration(port: 0, dataDirectory: data))
        let kafka = ChatKafkaConfiguration(brokers: "127.0.0.1:\(broker.port)")
        let producer = try ChatConnection(kafka)
        try await producer.ensureTopics()
        return StoreServiceFixture(data: data, broker: broker, kafka: kafka, producer: producer)
    }

    /// A store writer (no API) on `store`, starting again quickly after a failure.
    func service(store: any ChatStore) -> StoreService {
        var service = StoreService(kafka: kafka, database: "test", api: nil, logger: Logger(label: "test"))
        service.openStore = { _ in (store, nil) }
        service.restartBackoff = RestartBackoff(first: .milliseconds(50), limit: .milliseconds(200))
        return service
    }

    func removeData() { TemporaryDirectory.remove(data) }
}

/// Inserts naming a message id in `refusing` always fail, as a record the database cannot take.
final class FlakyStore: ChatStore {
    struct Failure: Error {}
    let inner: any ChatStore
    let refusing: Set<String>
    private let remaining: Mutex<Int>

    init(_ inner: any ChatStore, failingInserts: Int, refusing: Set<String> = []) {
        self.inner = inner
        self.refusing = refusing
        self.remaining = Mutex(failingInserts)
    }

    var failuresLeft: Int { remaining.withLock { $0 } }

    func insert(messages: [StoredMessage]) async throws -> Int {
        let fail = remaining.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if fail || messages.contains(where: { refusing.contains($0.id) }) { throw Failure() }
        return try await inner.insert(messages: messages)
    }

    func migrate() async throws { try await inner.migrate() }
    func ping() async throws { try await inner.ping() }
    func apply(controlEvents: [ControlEvent]) async throws -> Int { try await inner.apply(controlEvents: controlEvents) }
    func history(channel: String, before: String?, limit: Int) async throws -> HistoryPage {
        try await inner.history(channel: channel, before: before, limit: limit)
    }
    func channels() async throws -> [ChannelRecord] { try await inner.channels() }
    func channel(named name: String) async throws -> ChannelRecord? { try await inner.channel(named: name) }
    func createChannel(name: String, createdBy: String?, at date: Date) async throws -> ChannelRecord? {
        try await inner.createChannel(name: name, createdBy: createdBy, at: date)
    }
    func deleteChannel(name: String) async throws -> Bool { try await inner.deleteChannel(name: name) }
    func createUser(name: String, passwordHash: String, at date: Date) async throws -> Bool {
        try await inner.createUser(name: name, passwordHash: passwordHash, at: date)
    }
    func user(named name: String) async throws -> UserRecord? { try await inner.user(named: name) }
    func users() async throws -> [UserRecord] { try await inner.users() }
    func stats(top: Int) async throws -> ChatStats { try await inner.stats(top: top) }
}

@Suite("Restart backoff")
struct RestartBackoffTests {
    @Test func doublesUpToTheLimitAndStartsOverAfterProgress() {
        var backoff = RestartBackoff(first: .milliseconds(500), limit: .seconds(5))
        let waits = (0..<7).map { _ in backoff.next() }
        #expect(waits == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5), .seconds(5)])
        for _ in 0..<200 { _ = backoff.next() }
        #expect(backoff.next() == .seconds(5), "many failures in a row neither overflow nor pass the limit")
        backoff.reset()
        #expect(backoff.next() == .milliseconds(500))
    }
}
