import Foundation
import Testing
@testable import ChatModel
import TestSupport

/// `ChatMessage.decode`'s fast path (`ChatMessageScanner`) against the Foundation decoder it
/// stands in for: whatever the scanner accepts, the reference decodes to the same message; on
/// everything else `decode` answers what the reference answers (the same message or the same
/// error text, i.e. the same dead-letter reason).
@Suite("ChatMessage fast decoder vs the Foundation reference")
struct ChatMessageScannerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let samples: [String] = [
        #"{"id":"m1","channel":"general","author":"alice","data":"hello","timestamp":"2026-11-22T18:19:44.123Z"}"#,
        #"{"id":"m1","channel":"general","author":"alice","data":"hello","timestamp":"2026-11-22T18:19:44.123Z","moderation":{"masked":4}}"#,
        #" { "data" : "héllo 🙂 世界" , "author":"bob", "timestamp":"2026-11-22 18:19:44Z","channel":"@alice+bob" } "#,
        #"{"author":"a","data":"x","timestamp":"2026-11-22T18:19:44Z"}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":1795371584}"#,
        #"{"channel":"g","author":"a","data":"x\"y\\z\n","timestamp":"2026-11-22T18:19:44.123Z"}"#,
        #"{"channel":"g","author":"a","data":"\u00e9","timestamp":"2026-11-22T18:19:44.123Z"}"#,
        #"{"channel":"g","channel":"h","author":"a","data":"x","timestamp":"2026-11-22T18:19:44.123Z"}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"2026-11-22T18:19:44.123Z","extra":1}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"2026-11-22T18:19:44.123Z","moderation":{"masked":-1}}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"2026-11-22T18:19:44.123Z","moderation":{"masked":01}}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"2026-11-22T18:19:44.123Z","moderation":{"masked":1e2}}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"2026-11-22T18:19:44.123Z","moderation":{"masked":99999999999999999999}}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"10000-01-01T00:00:00Z"}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"2026-13-01T00:00:00Z"}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":null}"#,
        #"{"channel":"g","author":null,"data":"x","timestamp":"2026-11-22T18:19:44.123Z"}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"2026-11-22T18:19:44.123Z"},"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"2026-11-22T18:19:44.123Z",}"#,
        #"{"channel":"g","author":"a","data":"x","timestamp":"2026-11-22T18:19:44.123Z"} x"#,
        #"[]"#, "{}", "", " ", "null", #""x""#, "{", #"{"id""#, "\u{FEFF}{}",
    ]

    /// The fast path agrees with the reference; returns whether the fast path took it.
    @discardableResult
    static func check(_ bytes: [UInt8], defaultChannel: String? = nil) -> Bool {
        let fast = bytes.withUnsafeBytes { ChatMessageScanner.decode($0, defaultChannel: defaultChannel) }
        let reference = Result { () throws(ChatModelError) in try ChatMessage.referenceDecode(from: Data(bytes), defaultChannel: defaultChannel) }
        let decoded = Result { () throws(ChatModelError) in try ChatMessage.decode(utf8: bytes, defaultChannel: defaultChannel) }
        if let fast {
            switch reference {
            case .success(let message): #expect(message == fast, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            case .failure(let error): Issue.record("fast path took what the reference refuses (\(error)): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
        }
        switch (decoded, reference) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)): #expect(a.description == b.description)
        default: Issue.record("decode and the reference disagree on \(String(decoding: bytes, as: UTF8.self).debugDescription): \(decoded) vs \(reference)")
        }
        return fast != nil
    }

    @Test func samplesAgree() {
        var taken = 0
        for sample in Self.samples {
            for channel in [nil, "general"] where Self.check(Array(sample.utf8), defaultChannel: channel) { taken += 1 }
        }
        #expect(taken >= 7, "the fast path takes the plain messages")
    }

    @Test func wireFormTakesTheFastPath() throws {
        let message = ChatMessage(channel: "general", author: "alice", data: "what the f*** ¿qué? 你好 🙂",
                                  timestamp: Date(timeIntervalSince1970: 1_795_371_584.123)).moderated(data: "x", masked: 3)
        let bytes = [UInt8](message.jsonData())
        #expect(Self.check(bytes))
        #expect(try ChatMessage.decode(utf8: bytes) == ChatMessage.referenceDecode(from: Data(bytes)))
    }

    @Test func fuzzSeedsAgree() throws {
        for folder in ["Corpus/moderation", "Regressions/moderation", "Corpus/control"] {
            let dir = Self.root.appendingPathComponent("Fuzz").appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names {
                let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
                Self.check(bytes)
                for record in bytes.split(separator: 0x1E, omittingEmptySubsequences: false) {
                    let parts = record.split(separator: 0x1F, maxSplits: 1, omittingEmptySubsequences: false)
                    Self.check(Array(parts.last!), defaultChannel: parts.count == 2 ? String(decoding: parts[0], as: UTF8.self) : nil)
                }
            }
        }
    }

    /// Seeded random edits of plain messages: flipped, inserted, deleted and truncated bytes,
    /// chosen among the bytes JSON cares about.
    @Test func randomMutationsAgree() {
        var rng = SplitMix64(seed: 14)
        let interesting: [UInt8] = Array(#"{}[]:,"\ u0123456789eE.+-ntfl"#.utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xE4, 0xF0, 0xFF]
        let bases = Self.samples.prefix(4).map { Array($0.utf8) }
        var taken = 0
        for round in 0..<6_000 {
            var bytes = bases[round % bases.count]
            for _ in 0...(rng.next() % 3) {
                let at = Int(rng.next() % UInt64(bytes.count + 1)) // safe: below a small array's count + 1
                let byte = interesting[Int(rng.next() % UInt64(interesting.count))] // safe: below the table's count
                switch rng.next() % 4 {
                case 0 where at < bytes.count: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                case 2 where at < bytes.count: bytes.remove(at: at)
                default: bytes = Array(bytes.prefix(at))
                }
            }
            if Self.check(bytes, defaultChannel: round % 2 == 0 ? nil : "k") { taken += 1 }
        }
        #expect(taken > 100, "some mutants still take the fast path")
    }
}
