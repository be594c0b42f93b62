import ChatApp
import ChatKafka
import ChatModel
import ChatTUI
import EmbeddedBroker
import Foundation
import KafkaClient
import Logging
import Testing

/// `LiveChat` against a real (embedded) broker with no REST API: older history comes from
/// Kafka, read back with the TUI's one consumer.
@Suite("LiveChat: history without the REST API", .timeLimit(.minutes(3)))
struct LiveChatHistoryComponentTests {
    static let count = 5_000

    /// 5,000 #general messages among 2,000 of #random; the TUI (the pure reducer, driven like the
    /// curses loop) starts with the API down and scrolls up (PgUp) until the history says
    /// nothing older is left. Meanwhile new messages arrive live. Every message is there once, in
    /// order, the live ones after the history.
    @Test func scrollingUpReadsAllOfAChannelBackFromKafka() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("kchat-history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let broker = try await KafkaBroker.start(BrokerConfiguration(port: 0, dataDirectory: data))
        let brokers = "127.0.0.1:\(broker.port)"
        let topics = TopicNames()
        var logger = Logger(label: "history-test")
        logger.logLevel = ProcessInfo.processInfo.environment["KCHAT_TEST_LOG"] == "debug" ? .debug : .warning
        let base = Date(timeIntervalSince1970: 1_700_000_000)

        let chat = ChatKafkaConfiguration(brokers: brokers, clientID: "history-fill")
        let producer = try KafkaSession(configuration: chat.kafkaConfiguration(), logger: logger)
        try await ChatConnection.ensureTopics(session: producer, configuration: chat)
        var general = 0, random = 0
        while general < Self.count {
            let m: ChatMessage
            if random < 2_000, (general + random) % 7 == 3 {
                m = ChatMessage(id: "r-\(random)", channel: "random", author: "bob", data: "r\(random)",
                                timestamp: base.addingTimeInterval(Double(general + random)))
                random += 1
            } else {
                m = ChatMessage(id: "g-\(general)", channel: "general", author: "bob", data: "g\(general)",
                                timestamp: base.addingTimeInterval(Double(general + random)))
                general += 1
            }
            try producer.produce(topic: topics.controlled, key: Array(m.channel.utf8), value: Array(m.jsonData()))
        }
        #expect(try await producer.flush(timeout: .seconds(30)))

        let (actions, poster) = AsyncStream<TUIAction>.makeStream()
        let live = try LiveChat(configuration: ChatKafkaConfiguration(brokers: brokers, clientID: "history-tui"),
                                user: "tester", apiURL: "http://127.0.0.1:1", logger: logger) { poster.yield($0) }
        var state = TUIState(me: "tester", broker: brokers, channels: ["general"], size: TermSize(cols: 120, rows: 40))
        live.start()
        for effect in state.reduce(.start) { live.perform(effect) }
        let timer = Task {
            try? await Task.sleep(for: .seconds(120))
            poster.finish()
        }
        var liveSender: Task<Void, any Error>?
        let liveCount = 20
        var pages = 0
        for await action in actions {
            if case .historyLoaded = action { pages += 1 }
            for effect in state.reduce(action) { live.perform(effect) }
            let channel = state.channels[0]
            if channel.historyLoaded, liveSender == nil {
                // New messages while the history is being read back.
                liveSender = Task {
                    for i in 0..<liveCount {
                        let m = ChatMessage(id: "live-\(i)", channel: "general", author: "carol", data: "now \(i)",
                                            timestamp: base.addingTimeInterval(Double(100_000 + i)))
                        try producer.produce(topic: topics.controlled, key: Array(m.channel.utf8), value: Array(m.jsonData()))
                        try await Task.sleep(for: .milliseconds(30))
                    }
                }
            }
            // Scroll up past the top, as a user holding PgUp would.
            var presses = 0
            while channel.historyLoaded, !state.channels[0].historyExhausted, !state.channels[0].historyRequested,
                  presses < 10_000 {
                for effect in state.reduce(.key(.pageUp)) { live.perform(effect) }
                presses += 1
            }
            if state.channels[0].historyExhausted, state.channels[0].contains(id: "live-\(liveCount - 1)") { break }
        }
        timer.cancel()
        poster.finish()
        try await liveSender?.value
        await live.stop()
        _ = try await producer.flush(timeout: .seconds(5))
        await producer.shutdown()
        try await broker.shutdown()

        let ids = state.channels[0].lines.compactMap(\.id)
        let expected = (0..<Self.count).map { "g-\($0)" } + (0..<liveCount).map { "live-\($0)" }
        #expect(ids.count == expected.count, "\(ids.count) message lines after \(pages) history answers, first \(ids.first ?? "-")")
        let firstDifference = zip(ids, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(ids.count == expected.count && firstDifference == nil,
                "first difference at \(firstDifference.map { "\($0.offset): \($0.element.0) instead of \($0.element.1)" } ?? "-")")
        #expect(Set(ids).count == ids.count, "no message twice")
        #expect(pages > 10, "many pages, not one big read: \(pages)")
    }
}
