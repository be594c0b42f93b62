import ChatKafka
import ChatModel
import Dispatch
import Foundation
import KafkaClient
import Logging

/// TUI start-up against a growing `chat_controlled`: fills the topic with realistic moderated
/// chat messages (ChatMessage JSON, ~150 B, a dozen channels, keyed by channel like the
/// moderator's output) up to each size in turn, and after each fill runs a `StartupProbe` in a
/// fresh process (`probe`), so its time and memory are those of one TUI start.
public struct StartupBenchmark: Sendable {
    public struct Row: Sendable {
        public var records: Int
        public var fillSeconds: Double
        public var probe: StartupProbe.Result

        public init(records: Int, fillSeconds: Double, probe: StartupProbe.Result) {
            self.records = records
            self.fillSeconds = fillSeconds
            self.probe = probe
        }
    }

    public static let channel = "general"
    static let channels = ["general", "random", "dev", "ops", "music", "games", "books", "food", "travel", "sport",
                           "news", "help"]
    static let texts = [
        "morning all", "did anyone look at the deploy yet?", "lgtm, merging", "lunch in 10?",
        "the build is green again", "can you share the link", "haha yes", "I'll be offline this afternoon",
        "who has the keys to the staging box", "thanks, that fixed it", "see you tomorrow",
        "new release notes are up", "anyone up for a game tonight", "brb", "that's a great idea",
        "the meeting moved to 3pm", "coffee?", "just pushed the fix", "reading it now", "ok",
    ]
    /// Message times: one every ~9.5 s from 2023-01-01, so 10M records span three years.
    static let firstTimestamp = Date(timeIntervalSince1970: 1_672_531_200)
    static let spacing = 9.46

    public var brokers: String
    public var topics = TopicNames()

    public init(brokers: String) { self.brokers = brokers }

    /// The record with sequence number `i` (the same text for the same `i`, a fresh id).
    static func message(_ i: Int, channel: String? = nil) -> ChatMessage {
        ChatMessage(channel: channel ?? channels[(i &* 7 &+ i / 13) % channels.count], author: "user\(i % 200)",
                    data: texts[i % texts.count], timestamp: firstTimestamp.addingTimeInterval(Double(i) * spacing),
                    moderation: .init(masked: 0))
    }

    /// Produces records `from..<to` to `chat_controlled` (creating the chat topics first), the last
    /// one in `channel`; returns that newest message's id.
    public func fill(from: Int, to: Int, logger: Logger) async throws -> String {
        var chat = ChatKafkaConfiguration(brokers: brokers, clientID: "kchat-bench-fill")
        chat.messageTimeout = .seconds(300)
        var configuration = chat.kafkaConfiguration()
        configuration.linger = .milliseconds(20)
        configuration.extraProperties["queue.buffering.max.messages"] = "1000000"
        configuration.extraProperties["batch.num.messages"] = "10000"
        configuration.extraProperties["batch.size"] = "1000000"
        let producer = try KafkaSession(configuration: configuration, logger: logger)
        try await ChatConnection.ensureTopics(session: producer, configuration: chat)
        var newest = ""
        for i in from..<to {
            let message = Self.message(i, channel: i == to - 1 ? Self.channel : nil)
            newest = message.id
            let key = Array(message.channel.utf8)
            let value = Array(message.jsonData())
            while true {
                do {
                    try producer.produce(topic: topics.controlled, key: key, value: value)
                    break
                } catch {
                    guard error.code == .queueFull else { throw error }
                    try await Task.sleep(for: .milliseconds(2))
                }
            }
        }
        guard try await producer.flush(timeout: .seconds(600)) else { throw BenchmarkError("the fill did not finish") }
        await producer.shutdown()
        return newest
    }

    /// Runs `arguments` (a `kchat` that runs one `StartupProbe` and prints its result as JSON on
    /// its last line) and returns that result.
    public static func probe(executable: String, arguments: [String]) throws -> StartupProbe.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
              let line = text.split(separator: "\n").last,
              let result = try? JSONDecoder().decode(StartupProbe.Result.self, from: Data(line.utf8)) else {
            throw BenchmarkError("the start-up probe failed (exit \(process.terminationStatus)): \(text)")
        }
        return result
    }
}
