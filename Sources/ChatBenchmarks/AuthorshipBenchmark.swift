import ChatKafka
import ChatModel
import Dispatch
import Foundation
import KafkaClient
import Moderation

/// The moderator's per-record work (``ModeratorService``'s batch handler: decode, check, scan,
/// decide) with signed authorship off and on, in the same run over the same records: every
/// record carries its author's token (a few distinct users, as in a chat), so with the check on
/// each distinct token is verified once and every other message is a cache hit plus the
/// expiry and subject comparison. The ratio is what authorship costs the moderator.
public struct AuthorshipBenchmark: Sendable {
    public struct Result: Sendable {
        public var offPerSecond: Double
        public var onPerSecond: Double
        /// Signature checks (cache misses) and cache hits in one run with the check on.
        public var verifications: Int
        public var hits: Int
        /// Messages delivered with the check on (all of them: every token is its author's, nobody is blocked).
        public var delivered: Int
    }

    public var messages: Int
    /// One valid token per user; user `i` is named `users[i]`.
    public let users: [String]
    public let tokens: [String]
    public let verifier: AuthorVerifier
    public var rounds = 3

    public init(messages: Int, users: [String], tokens: [String], verifier: AuthorVerifier) {
        self.messages = messages
        self.users = users
        self.tokens = tokens
        self.verifier = verifier
    }

    /// The best of `rounds` for each mode, the two modes alternating.
    public func run() -> Result {
        let records = makeRecords()
        var result = Result(offPerSecond: 0, onPerSecond: 0, verifications: 0, hits: 0, delivered: 0)
        _ = measure(records, checking: false)  // warm-up (matcher tables, allocator)
        for _ in 0..<max(1, rounds) {
            result.offPerSecond = max(result.offPerSecond, measure(records, checking: false).perSecond)
            let on = measure(records, checking: true)
            result.onPerSecond = max(result.onPerSecond, on.perSecond)
            (result.verifications, result.hits, result.delivered) = (on.verifications, on.hits, on.delivered)
        }
        return result
    }

    private func makeRecords() -> [ConsumedMessage] {
        let timestamp = Date(timeIntervalSince1970: 1_795_305_600)
        let count = max(1, min(users.count, tokens.count))
        return (0..<messages).map { i in
            let user = i % count
            let channel = "c\(i % 20)"
            let text = MatcherBenchmark.corpus[i % MatcherBenchmark.corpus.count]
            let message = ChatMessage(id: "m\(i)", channel: channel, author: users[user], data: text, timestamp: timestamp)
            return ConsumedMessage(topic: "chat", partition: 0, offset: Int64(truncatingIfNeeded: i), key: Array(channel.utf8),
                                   value: Array(message.jsonData()), timestampMilliseconds: nil,
                                   headers: [KafkaHeader(key: ChatMessage.tokenHeader, string: tokens[user])])
        }
    }

    private func measure(_ records: [ConsumedMessage], checking: Bool)
        -> (perSecond: Double, verifications: Int, hits: Int, delivered: Int) {
        // Nobody is ever blocked, so every message is scanned (a blocked author's are not): the
        // moderator's full path, and the cost of a check against it.
        var engine = ModerationEngine(warningLimit: .max)
        var cache = checking ? AuthorTokenCache(verifier: verifier) : nil
        var delivered = 0
        let now = Date()
        let start = DispatchTime.now().uptimeNanoseconds
        for record in records {
            let check = cache?.check(headers: record.headers)
            let outputs = engine.moderate(record.topicRecord, authorship: check, now: now)
            for case .controlled in outputs { delivered += 1 }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (Double(records.count) / seconds, cache?.verifications ?? 0, cache?.hits ?? 0, delivered)
    }
}
