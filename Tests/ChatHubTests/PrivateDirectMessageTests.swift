import ChatKafka
import ChatModel
import ChatStore
import EmbeddedBroker
import Foundation
import KafkaClient
import Logging
import ServiceLifecycleTestKit
import Synchronization
import Testing
@testable import ChatHub
import TestSupport

/// Issue 12 item 5 through a whole in-process hub (`Hub`: broker, moderator, store writer): a
/// direct message lands in the two participants' inboxes and in the store, never on
/// `chat_controlled`, which every user reads.
@Suite("Private DMs through a real hub", .serialized, .timeLimit(.minutes(1)))
struct PrivateDirectMessageTests {
    @Test func aDMGoesToBothInboxesAndTheStoreAndNeverToChatControlled() async throws {
        try await withHub { configuration in
            let kafka = configuration.kafka
            let dm = ChatMessage(id: "dm-1", channel: "@alice+bob", author: "alice", data: "psst bob, what the fuck")
            let after = ChatMessage(id: "pub-1", channel: "general", author: "alice", data: "hello everyone")
            try await send([dm, after], kafka)

            // The public message after it is out: the DM was moderated before it.
            #expect(try await waitForIDs(kafka, topic: kafka.topics.controlled) { $0.contains("pub-1") }.contains("pub-1"))
            let controlled = try await ids(kafka, topic: kafka.topics.controlled)
            #expect(!controlled.contains("dm-1"), "a DM never goes to the broadcast topic")
            for user in ["alice", "bob"] {
                let inbox = try await waitForIDs(kafka, topic: kafka.topics.inbox(user)) { $0.contains("dm-1") }
                #expect(inbox == ["dm-1"], "\(user)'s inbox")
            }
            let masked = try await messages(kafka, topic: kafka.topics.inbox("bob")).first
            #expect(masked?.data == "psst bob, what the ****", "the inbox copy is moderated")
            #expect(try await waitForIDs(kafka, topic: kafka.topics.privateMessages) { !$0.isEmpty } == ["dm-1"])
            let topics = try await withSession(kafka) { try await $0.listTopics() }
            #expect(!topics.contains(kafka.topics.inbox("eve")))

            let store = try SQLChatStore.sqlite(path: "\(configuration.dataDirectory)/kchat.sqlite")
            let stored = try await waitUntil { try await store.history(channel: "@alice+bob", before: nil, limit: 10).messages }
                until: { !$0.isEmpty }
            #expect(stored.map(\.id) == ["dm-1"])
            #expect(stored.first?.message.data == "psst bob, what the ****")
        }
    }

    @Test func anInboxTheBrokerRefusesToCreateIsADeadLetterAndTheModeratorGoesOn() async throws {
        // Room for the six kchat topics and one inbox: alice's is created, bob's is refused.
        try await withHub(maxTopics: 7) { configuration in
            let kafka = configuration.kafka
            let dm = ChatMessage(id: "dm-2", channel: "@alice+bob", author: "alice", data: "one inbox too many")
            let after = ChatMessage(id: "pub-2", channel: "general", author: "bob", data: "still moderated")
            try await send([dm, after], kafka)
            #expect(try await waitForIDs(kafka, topic: kafka.topics.controlled) { $0.contains("pub-2") }.contains("pub-2"))
            // A new topic's first record may come after records to known topics (the producer
            // looks the topic up first): wait for it.
            #expect(try await waitForIDs(kafka, topic: kafka.topics.inbox("alice")) { !$0.isEmpty } == ["dm-2"])
            #expect(try await waitForIDs(kafka, topic: kafka.topics.privateMessages) { !$0.isEmpty } == ["dm-2"],
                    "the store still gets it")
            let letters = try await waitUntil { try await records(kafka, topic: kafka.topics.deadLetter) } until: { !$0.isEmpty }
            let letter = try JSONDecoder().decode(DeadLetter.self, from: Data(try #require(letters.first).value))
            #expect(letter.topic == "chat_inbox.bob" && letter.key == "@alice+bob")
            #expect(letter.reason.contains("could not be created"), "\(letter.reason)")
        }
    }
}

// MARK: Helpers

/// Runs a hub (no REST API) on a free port in a temporary directory around `body`.
private func withHub(maxTopics: Int = 1_000, _ body: (HubConfiguration) async throws -> Void) async throws {
    let data = TemporaryDirectory.make(prefix: "kchat-dm")
    defer { TemporaryDirectory.remove(data) }
    var configuration = HubConfiguration(dataDirectory: data)
    configuration.listenPort = try LocalPort.free()
    configuration.httpHost = nil
    configuration.fsync = false
    configuration.tuneBroker = { $0.maxTopics = maxTopics }
    let hub = Hub(configuration: configuration, logger: Logger(label: "test"))
    try await testGracefulShutdown { trigger in
        async let run: Void = hub.run(signals: [])
        do {
            try await body(configuration)
        } catch {
            trigger.triggerGracefulShutdown()
            try? await run
            throw error
        }
        trigger.triggerGracefulShutdown()
        try await run
    }
}

private func send(_ messages: [ChatMessage], _ kafka: ChatKafkaConfiguration) async throws {
    try await withSession(kafka) { session in
        // The hub creates the topics as it starts; until then a send may find no broker or no topic.
        _ = try await waitUntil { try await session.listTopics() } until: { $0.contains(kafka.topics.privateMessages) }
        for message in messages {
            try await session.send(topic: kafka.topics.chat, key: Array(message.channel.utf8), value: Array(message.jsonData()))
        }
    }
}

/// Every record of `topic` now (empty when it does not exist).
private func records(_ kafka: ChatKafkaConfiguration, topic: String) async throws -> [ConsumedMessage] {
    let found = Mutex<[ConsumedMessage]>([])
    let reader = try TopicReader(kafka, topic: topic)
    do {
        try await reader.read(from: .beginning, follow: false) { batch in found.withLock { $0 += batch } }
    } catch let error as KafkaError where error.code == .unknownTopic {
    }
    await reader.shutdown()
    return found.withLock { $0 }.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
}

private func messages(_ kafka: ChatKafkaConfiguration, topic: String) async throws -> [ChatMessage] {
    try await records(kafka, topic: topic).map { try $0.chatMessage() }
}

private func ids(_ kafka: ChatKafkaConfiguration, topic: String) async throws -> [String] {
    try await messages(kafka, topic: topic).map(\.id)
}

private func waitForIDs(_ kafka: ChatKafkaConfiguration, topic: String, until done: ([String]) -> Bool) async throws -> [String] {
    try await waitUntil({ try await ids(kafka, topic: topic) }, until: done)
}

/// `value()` again every 100 ms until `done` says so, for at most 30 s; the last value.
private func waitUntil<T>(_ value: () async throws -> T, until done: (T) -> Bool) async throws -> T {
    let deadline = ContinuousClock.now + .seconds(30)
    while true {
        let current: T
        do {
            current = try await value()
        } catch {
            if ContinuousClock.now > deadline { throw error }
            try await Task.sleep(for: .milliseconds(100))
            continue
        }
        if done(current) || ContinuousClock.now > deadline { return current }
        try await Task.sleep(for: .milliseconds(100))
    }
}

/// A connection for one call, shut down after it.
private func withSession<T: Sendable>(_ kafka: ChatKafkaConfiguration, _ body: (KafkaSession) async throws -> T) async throws -> T {
    let chat = try ChatConnection(kafka)
    do {
        let result = try await body(chat.session)
        await chat.shutdown()
        return result
    } catch {
        await chat.shutdown()
        throw error
    }
}
