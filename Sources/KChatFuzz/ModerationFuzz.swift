import ChatModel
import Foundation
import Moderation
import ProfanityFilter

/// Target `moderation`: records of the `chat` topic through `ModerationEngine.moderate`, every
/// output to its wire JSON. Input: records separated by 0x1E; a record is `key 0x1F value`, or
/// only a value (no key). Outputs are checked the way their readers use them: a moderated copy
/// must decode again (clients read it), control events must decode again (moderators replay
/// them with `apply`, which is exercised on a second engine here). Each value, read as UTF-8 text,
/// is also scanned by the matcher's byte path and its `Character` reference, which must agree.
enum ModerationFuzz {
    static let now = Date(timeIntervalSince1970: 1_795_371_584)

    static func run(_ bytes: [UInt8]) {
        var engine = ModerationEngine()
        var replica = ModerationEngine()
        for (n, record) in bytes.pieces(separatedBy: 0x1E).prefix(32).enumerated() {
            let parts = record.pieces(separatedBy: 0x1F, limit: 2)
            let key = parts.count == 2 ? parts[0] : nil
            let value = parts.count == 2 ? parts[1] : parts[0]
            checkMatcher(String(decoding: value, as: UTF8.self), engine.matcher)
            checkDecoder(value, defaultChannel: key.map { String(decoding: $0, as: UTF8.self) })
            let input = ModerationInput(topic: "chat", partition: 0, offset: Int64(n), key: key, value: value)  // safe: at most 32 records per input
            for output in engine.moderate(input, now: now) {
                check(output, replica: &replica)
            }
        }
    }

    /// A moderated copy survives the JSON its topic carries.
    static func checkRoundTrip(_ message: ChatMessage) {
        let json = message.jsonData()
        let decoded: ChatMessage
        do {
            decoded = try ChatMessage.decode(from: json)
        } catch {
            invariant(false, "moderated copy does not decode: \(error): \(String(decoding: json, as: UTF8.self))")
            return
        }
        invariant(decoded.id == message.id && decoded.channel == message.channel && decoded.author == message.author,
                  "moderated copy changed in a JSON round trip: \(message) -> \(decoded)")
    }

    /// `ChatMessage.decode` (its fast UTF-8 scanner first) answers what the Foundation reference
    /// answers: the same message, or an error with the same text (the dead-letter reason).
    static func checkDecoder(_ value: [UInt8], defaultChannel: String?) {
        let fast = Result { () throws(ChatModelError) in try ChatMessage.decode(utf8: value, defaultChannel: defaultChannel) }
        let reference = Result { () throws(ChatModelError) in
            try ChatMessage.referenceDecode(from: Data(value), defaultChannel: defaultChannel)
        }
        switch (fast, reference) {
        case (.success(let a), .success(let b)):
            invariant(a == b, "fast decode differs from the reference: \(a) vs \(b)")
        case (.failure(let a), .failure(let b)):
            invariant(a.description == b.description, "fast decode fails differently: \(a) vs \(b)")
        default:
            invariant(false, "fast decode and the reference disagree on \(String(decoding: value, as: UTF8.self).debugDescription): \(fast) vs \(reference)")
        }
    }

    /// `scan` (UTF-8 bytes) and `referenceScan` (`Character`s) find the same words and mask the same bytes.
    static func checkMatcher(_ text: String, _ matcher: ProfanityMatcher) {
        let fast = matcher.scan(text)
        let reference = matcher.referenceScan(text)
        invariant(Array(fast.masked.utf8) == Array(reference.masked.utf8)
                      && fast.matches.map(\.range) == reference.matches.map(\.range)
                      && fast.matches.map(\.word) == reference.matches.map(\.word)
                      && fast.matches.map { Array($0.text.utf8) } == reference.matches.map { Array($0.text.utf8) },
                  "matcher byte path differs from its reference on \(text.debugDescription): "
                      + "\(fast.masked.debugDescription) vs \(reference.masked.debugDescription)")
    }

    static func check(_ output: ModerationOutput, replica: inout ModerationEngine) {
        switch output {
        case .inbox(let message, let user):
            invariant(ChannelName.peer(of: message.channel, me: user) != nil,
                      "a DM went to the inbox of \(user), who is not in \(message.channel)")
            checkRoundTrip(message)
        case .privateCopy(let message):
            invariant(ChannelName.isDirect(message.channel), "a public message went to the private topic: \(message)")
            checkRoundTrip(message)
        case .controlled(let message):
            invariant(!ChannelName.isDirect(message.channel), "a DM went to the broadcast topic: \(message)")
            checkRoundTrip(message)
        case .control(let event):
            let json = event.jsonData()
            do {
                replica.apply(try ControlEvent.decode(from: json))
            } catch {
                invariant(false, "control event does not decode: \(error): \(String(decoding: json, as: UTF8.self))")
            }
        case .deadLetter(let letter):
            _ = letter.jsonData()
        }
    }
}

/// Target `control`: values of `chat_control` through `ControlEvent.decode` and
/// `ModerationEngine.apply` (as a moderator rebuilding its state at start), then a clean and a
/// profane message of every user seen, so the rebuilt standings drive decisions.
enum ControlFuzz {
    static func run(_ bytes: [UInt8]) {
        var engine = ModerationEngine()
        var users: [String] = []
        for value in bytes.pieces(separatedBy: 0x1E).prefix(32) {
            checkDecoder(value)
            guard let event = try? ControlEvent.decode(from: Data(value)) else { continue }
            engine.apply(event)
            engine.apply(event)  // idempotent
            let json = event.jsonData()
            do {
                let again = try ControlEvent.decode(from: json)
                invariant(again.type == event.type && again.user == event.user && again.messageId == event.messageId,
                          "control event changed in a JSON round trip: \(event) -> \(again)")
            } catch {
                invariant(false, "re-encoded control event does not decode: \(error): \(String(decoding: json, as: UTF8.self))")
            }
            if users.count < 8, !users.contains(event.user) { users.append(event.user) }
        }
        var replica = ModerationEngine()
        for (n, user) in users.enumerated() {
            for (m, text) in ["hello there", "what the fuck"].enumerated() {
                let message = ChatMessage(id: "00000000-0000-4000-8000-0000000000\(n)\(m)", channel: "general", author: user,
                                          data: text, timestamp: ModerationFuzz.now)
                let input = ModerationInput(topic: "chat", partition: 0, offset: Int64(n * 2 + m), key: Array("general".utf8),  // safe: at most 32 records per input
                                            value: Array(message.jsonData()))
                for output in engine.moderate(input, now: ModerationFuzz.now) {
                    ModerationFuzz.check(output, replica: &replica)
                }
            }
        }
    }
}

extension ControlFuzz {
    /// `ControlEvent.decode` (its fast UTF-8 scanner first) answers what the Foundation reference
    /// answers: the same event, or an error with the same text.
    static func checkDecoder(_ value: [UInt8]) {
        let fast = Result { () throws(ChatModelError) in try ControlEvent.decode(from: Data(value)) }
        let reference = Result { () throws(ChatModelError) in try ControlEvent.referenceDecode(from: Data(value)) }
        switch (fast, reference) {
        case (.success(let a), .success(let b)):
            invariant(a == b, "fast control decode differs from the reference: \(a) vs \(b)")
        case (.failure(let a), .failure(let b)):
            invariant(a.description == b.description, "fast control decode fails differently: \(a) vs \(b)")
        default:
            invariant(false, "fast control decode and the reference disagree on \(String(decoding: value, as: UTF8.self).debugDescription): \(fast) vs \(reference)")
        }
    }
}
