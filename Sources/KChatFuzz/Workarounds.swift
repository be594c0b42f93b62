import ChatModel
import Foundation

/// Temporary harness workarounds for crashes already known and being fixed elsewhere, so a target
/// keeps exploring past them. Each names where to remove it; `KCHAT_FUZZ_NO_WORKAROUNDS=1`
/// turns all of them off (to check whether a fix landed).
enum Workarounds {
    static let enabled = ProcessInfo.processInfo.environment["KCHAT_FUZZ_NO_WORKAROUNDS"] != "1"

    /// KNOWN CRASH (ChatModel, being fixed): `Timestamp.format` (Timestamp.swift:11) converts
    /// milliseconds with a trapping `Int64(...)`, so a numeric `timestamp` like `1e19` traps in
    /// `ChatMessage.init(from:)` (derivedID, for a message without an id) or in `jsonData()`.
    /// FOUND BY FUZZING (ChatModel, reported): a numeric timestamp outside years 0000...9999 (e.g.
    /// `-9713571584122`, `-795371584123`) formats as `-5841-03-03T...` (Timestamp.format), which
    /// `Timestamp.parse` rejects: the moderated copy in chat_controlled and the moderator's own
    /// chat_control events do not decode again (clients skip them; a restarted moderator loses
    /// those warnings). Reproducers: Fuzz/Regressions/{moderation,control}/negative-year-*.
    /// Inputs that could carry such a number (any JSON number below -6.2e10 or above 2.5e14:
    /// seconds before year 0, or milliseconds after year 9999) are skipped. Remove `valueIsSafe` and its two callers
    /// in ModerationFuzz.swift once `Timestamp.format` handles every finite Date.
    /// `valueIsSafe(value)` is false when any JSON number in a raw `chat` or `chat_control` value
    /// is below -6.2e10 or above 2.5e14 (both issues). The bytes are
    /// scanned rather than decoded because decoding a message without an `id` already traps
    /// (`ChatMessage.init(from:)` -> `derivedID` -> `Timestamp.format`).
    static func valueIsSafe(_ value: [UInt8]) -> Bool {
        guard enabled else { return true }
        var i = 0
        while i < value.count {
            let c = value[i]
            guard (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") else { i += 1; continue }
            var j = i + 1
            while j < value.count, (0x30...0x39).contains(value[j]) || [UInt8(ascii: "."), UInt8(ascii: "e"),
                  UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(value[j]) { j += 1 }
            if let number = Double(String(decoding: value[i..<j], as: UTF8.self)),
               !(number >= -6.2e10 && number <= 2.5e14) { return false }
            i = j
        }
        return true
    }

    /// KNOWN CRASH (EmbeddedBroker/KafkaWire, being fixed): a JoinGroup whose request header has a
    /// client id of about 32,730 bytes or more traps when its response is written: the member id
    /// (client id + "-" + UUID) overflows the int16 length in `writeKafkaNullableString`
    /// (ByteBuffer+Kafka.swift:91, from JoinGroupResponse.write, JoinGroup.swift:97). Frames whose
    /// client id is longer than 30,000 bytes are skipped. Remove this and its caller in
    /// KafkaFuzz.frames once the broker bounds the client id.
    static func kafkaFrameIsSafe(_ frame: ArraySlice<UInt8>) -> Bool {
        guard enabled, frame.count >= 10 else { return true }
        let start = frame.startIndex
        let clientIDLength = Int16(bitPattern: UInt16(frame[start + 8]) << 8 | UInt16(frame[start + 9]))
        return clientIDLength <= 30_000
    }
}
