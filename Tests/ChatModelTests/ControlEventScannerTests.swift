import Foundation
import Testing
@testable import ChatModel

/// `ControlEvent.decode`'s fast path (`ControlEventScanner`) against the Foundation decoder: what
/// the scanner accepts the reference decodes to the same event; on everything else `decode`
/// answers what the reference answers (the same event or the same error text).
@Suite("ControlEvent fast decoder vs the Foundation reference")
struct ControlEventScannerTests {
    static let samples: [String] = [
        #"{"type":"warning","user":"alice","warnings":2,"limit":3,"channel":"general","messageId":"m1","timestamp":"2026-11-22T18:19:44.123Z"}"#,
        #"{"type":"rejected","user":"bob","channel":"@alice+bob","messageId":"m2","timestamp":"2026-11-22T18:19:44.123Z","reason":"user bob is blocked"}"#,
        #" { "user" : "c", "type" : "join", "timestamp" : "2026-11-22 18:19:44Z" } "#,
        #"{"type":"blocked","user":"é🙂","timestamp":"2026-11-22T18:19:44Z","reason":"x"}"#,
        #"{"type":"blocked","user":"a","timestamp":1795371584}"#,
        #"{"type":"blocked","user":"a","timestamp":"2026-11-22T18:19:44Z","reason":"a \"quoted\" reason"}"#,
        #"{"type":"kicked","user":"a","timestamp":"2026-11-22T18:19:44Z"}"#,
        #"{"type":"warning","user":"a","warnings":-1,"timestamp":"2026-11-22T18:19:44Z"}"#,
        #"{"type":"warning","user":"a","warnings":1.0,"timestamp":"2026-11-22T18:19:44Z"}"#,
        #"{"type":"warning","user":"a","warnings":01,"timestamp":"2026-11-22T18:19:44Z"}"#,
        #"{"type":"warning","user":"a","warnings":99999999999999999999,"timestamp":"2026-11-22T18:19:44Z"}"#,
        #"{"type":"warning","user":"a","warnings":null,"timestamp":"2026-11-22T18:19:44Z"}"#,
        #"{"type":"warning","user":"a","user":"b","timestamp":"2026-11-22T18:19:44Z"}"#,
        #"{"type":"warning","user":"a","timestamp":"2026-11-22T18:19:44Z","other":true}"#,
        #"{"type":"warning","user":"a","timestamp":"9999-99-99T18:19:44Z"}"#,
        #"{"type":"warning","timestamp":"2026-11-22T18:19:44Z"}"#,
        #"{"type":"warning","user":"a","timestamp":"2026-11-22T18:19:44Z"} ,"#,
        "{}", "", "[1]", "null", "{",
    ]

    /// The fast path agrees with the reference; returns whether the fast path took it.
    @discardableResult
    static func check(_ bytes: [UInt8]) -> Bool {
        let fast = bytes.withUnsafeBytes { ControlEventScanner.decode($0) }
        let reference = Result { () throws(ChatModelError) in try ControlEvent.referenceDecode(from: Data(bytes)) }
        let decoded = Result { () throws(ChatModelError) in try ControlEvent.decode(from: Data(bytes)) }
        if let fast {
            switch reference {
            case .success(let event): #expect(event == fast, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
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
        let taken = Self.samples.filter { Self.check(Array($0.utf8)) }.count
        #expect(taken == 4, "the fast path takes the plain events")
    }

    @Test func wireFormTakesTheFastPath() {
        let events: [ControlEvent] = [
            .rejected(user: "bob", channel: "general", messageId: "m1", reason: "token names alice, message says bob",
                      timestamp: Date(timeIntervalSince1970: 1_795_371_584.5)),
            ControlEvent(type: .warning, user: "alice", warnings: 2, limit: 3, channel: "g", messageId: "m", timestamp: Date(timeIntervalSince1970: 0)),
        ]
        for event in events { #expect(Self.check([UInt8](event.jsonData()))) }
    }

    @Test func fuzzSeedsAgree() throws {
        let dir = ChatMessageScannerTests.root.appendingPathComponent("Fuzz/Corpus/control")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
            Self.check(bytes)
            for value in bytes.split(separator: 0x1E, omittingEmptySubsequences: false) { Self.check(Array(value)) }
        }
    }

    /// Seeded random edits (flipped, inserted, deleted, truncated bytes among those JSON cares about).
    @Test func randomMutationsAgree() {
        var state: UInt64 = 12
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let interesting: [UInt8] = Array(#"{}[]:,"\ u0123456789eE.+-ntfl"#.utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        let bases = Self.samples.prefix(4).map { Array($0.utf8) }
        var taken = 0
        for round in 0..<6_000 {
            var bytes = bases[round % bases.count]
            for _ in 0...(next() % 3) {
                let at = Int(next() % UInt64(bytes.count + 1)) // safe: below a small array's count + 1
                let byte = interesting[Int(next() % UInt64(interesting.count))] // safe: below the table's count
                switch next() % 4 {
                case 0 where at < bytes.count: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                case 2 where at < bytes.count: bytes.remove(at: at)
                default: bytes = Array(bytes.prefix(at))
                }
            }
            if Self.check(bytes) { taken += 1 }
        }
        #expect(taken > 100, "some mutants still take the fast path")
    }
}
