import ChatModel
import Foundation
import Moderation
import Testing

@Suite("Moderation engine")
struct ModerationEngineTests {
    private var offset: Int64 = 0

    private func input(_ message: ChatMessage) -> ModerationInput {
        ModerationInput(topic: "chat", partition: 0, offset: 0, key: Array(message.channel.utf8), value: Array(message.jsonData()))
    }

    private func message(_ author: String, _ data: String, id: String = UUID().uuidString) -> ChatMessage {
        ChatMessage(id: id, channel: "general", author: author, data: data, timestamp: Date(timeIntervalSince1970: 1_800_000_000))
    }

    private func controls(_ outputs: [ModerationOutput]) -> [ControlEvent] {
        outputs.compactMap { if case .control(let e) = $0 { e } else { nil } }
    }

    private func controlled(_ outputs: [ModerationOutput]) -> [ChatMessage] {
        outputs.compactMap { if case .controlled(let m) = $0 { m } else { nil } }
    }

    @Test func cleanMessagePassesUnchanged() {
        var engine = ModerationEngine()
        let m = message("alice", "a classic assessment in Scunthorpe")
        #expect(engine.moderate(input(m)) == [.controlled(m)])
    }

    @Test func profanityIsMaskedAndWarned() {
        var engine = ModerationEngine()
        let out = engine.moderate(input(message("bob", "what the fuck, f.u.c.k!", id: "m1")))
        let published = controlled(out)
        #expect(published.map(\.data) == ["what the ****, *.*.*.*!"])
        #expect(published.first?.moderation?.masked == 8)
        let events = controls(out)
        #expect(events.map(\.type) == [.warning])
        #expect(events.first?.warnings == 1 && events.first?.limit == 3 && events.first?.messageId == "m1")
    }

    @Test func thirdWarningBlocksAndLaterMessagesAreRejected() {
        var engine = ModerationEngine()
        _ = engine.moderate(input(message("bob", "shit", id: "1")))
        _ = engine.moderate(input(message("bob", "shit", id: "2")))
        let third = engine.moderate(input(message("bob", "shit", id: "3")))
        #expect(controls(third).map(\.type) == [.warning], "the blocked event is the BlockDecider's")
        #expect(controls(third).first?.warnings == 3)
        #expect(engine.standing(of: "bob").blocked)
        let after = engine.moderate(input(message("bob", "hello again", id: "4")))
        #expect(controlled(after).isEmpty, "a blocked user's message is not delivered")
        #expect(controls(after).map(\.type) == [.rejected])
        #expect(controls(after).first?.messageId == "4")
        // Other users are unaffected.
        #expect(controlled(engine.moderate(input(message("alice", "hi")))).count == 1)
    }

    @Test func replayNeverWarnsTwice() {
        var engine = ModerationEngine()
        let m = message("bob", "shit", id: "same")
        let first = engine.moderate(input(m))
        let replay = engine.moderate(input(m))
        #expect(controls(first).count == 1)
        #expect(controls(replay).isEmpty)
        #expect(controlled(replay) == controlled(first), "the masked copy is published again (consumers dedupe by id)")
        #expect(engine.standing(of: "bob").warnings == 1)
    }

    @Test func stateRebuiltFromControlEventsAfterRestart() {
        var before = ModerationEngine()
        var log: [ControlEvent] = []
        for id in ["a", "b"] { log += controls(before.moderate(input(message("bob", "shit", id: id)))) }
        var restarted = ModerationEngine()
        for event in log { restarted.apply(event) }
        restarted.apply(log[0]) // an echo applied twice
        #expect(restarted.standing(of: "bob").warnings == 2)
        #expect(controls(restarted.moderate(input(message("bob", "shit", id: "a")))).isEmpty, "already warned")
        #expect(controls(restarted.moderate(input(message("bob", "shit", id: "c")))).map(\.type) == [.warning])
        #expect(restarted.standing(of: "bob").blocked)
    }

    @Test func unblockResetsWarnings() {
        var engine = ModerationEngine()
        for id in ["1", "2", "3"] { _ = engine.moderate(input(message("bob", "shit", id: id))) }
        #expect(engine.standing(of: "bob").blocked)
        engine.apply(.unblocked(user: "bob"))
        #expect(!engine.standing(of: "bob").blocked)
        #expect(controlled(engine.moderate(input(message("bob", "fine now")))).count == 1)
        #expect(controls(engine.moderate(input(message("bob", "shit", id: "1")))).isEmpty, "old message not re-warned")
        #expect(controls(engine.moderate(input(message("bob", "shit", id: "9")))).first?.warnings == 1)
    }

    @Test(arguments: [
        ("{not json", "malformed"),
        (#"{"channel":"general","data":"x","timestamp":"2021-10-10 10:10:10"}"#, "author"),
        (#"{"channel":"general","author":"a","data":"x","timestamp":"yesterday"}"#, "timestamp"),
        (#"{"channel":"general","author":"a","data":"","timestamp":"2021-10-10 10:10:10"}"#, "empty"),
        // Once a crash loop: the moderator decoded this, then trapped encoding the timestamp.
        (#"{"channel":"general","author":"a","data":"x","timestamp":1e19}"#, "timestamp"),
        (#"{"channel":"general","author":"a","data":"x","timestamp":-9.9e307}"#, "timestamp"),
        (#"{"channel":"general","author":"a","data":"x","timestamp":"2021-10-10 10:10:10","moderation":{"masked":1e19}}"#, "moderation"),
    ])
    func badInputGoesToTheDeadLetterTopicWithAReason(raw: String, reasonContains: String) {
        var engine = ModerationEngine()
        let out = engine.moderate(ModerationInput(topic: "chat", partition: 2, offset: 41, key: nil, value: Array(raw.utf8)))
        guard case .deadLetter(let letter)? = out.first, out.count == 1 else {
            Issue.record("expected one dead letter, got \(out)")
            return
        }
        #expect(letter.reason.lowercased().contains(reasonContains), "\(letter.reason)")
        #expect(letter.value == raw && letter.partition == 2 && letter.offset == 41)
    }

    @Test func aPoisonRecordIsDeadLetteredAndTheNextMessageIsModerated() throws {
        var engine = ModerationEngine()
        let poison = ModerationInput(topic: "chat", partition: 0, offset: 7, key: Array("general".utf8),
                                     value: Array(#"{"author":"eve","data":"x","timestamp":1e19}"#.utf8))
        let good = input(message("alice", "still here"))
        let outputs = engine.moderate(poison) + engine.moderate(good)
        guard outputs.count == 2, case .deadLetter = outputs[0], case .controlled(let delivered) = outputs[1] else {
            Issue.record("expected a dead letter then the moderated message, got \(outputs)")
            return
        }
        #expect(delivered.data == "still here")
        // Every output can be written to its topic.
        #expect(try ChatMessage.decode(from: delivered.jsonData()) == delivered)
    }

    @Test func oversizedMessageIsDeadLetteredWithTheSizeInTheReason() {
        var engine = ModerationEngine()
        let out = engine.moderate(input(message("alice", String(repeating: "a", count: 5000))))
        guard case .deadLetter(let letter)? = out.first else { Issue.record("expected a dead letter"); return }
        #expect(letter.reason.contains("5000") && letter.reason.contains("4096"), "\(letter.reason)")
    }

    @Test func classicTimestampFormatIsAccepted() {
        var engine = ModerationEngine()
        let raw = #"{"channel":"general","author":"alice","data":"hi","timestamp":"2021-10-10 10:10:10"}"#
        let out = engine.moderate(ModerationInput(topic: "chat", partition: 0, offset: 0, key: nil, value: Array(raw.utf8)))
        #expect(controlled(out).first?.author == "alice")
    }
}

@Suite("Moderation engine: private direct messages")
struct ModerationDirectMessageTests {
    private func input(_ channel: String, _ author: String, _ data: String, id: String) -> ModerationInput {
        let message = ChatMessage(id: id, channel: channel, author: author, data: data,
                                  timestamp: Date(timeIntervalSince1970: 1_800_000_000))
        return ModerationInput(topic: "chat", partition: 0, offset: 0, key: Array(channel.utf8), value: Array(message.jsonData()))
    }

    @Test func aDirectMessageGoesToBothInboxesAndThePrivateTopicNeverToTheBroadcastTopic() {
        var engine = ModerationEngine()
        let out = engine.moderate(input("@alice+bob", "bob", "psst alice", id: "d1"))
        guard out.count == 3, case .inbox(let first, let a) = out[0], case .inbox(let second, let b) = out[1],
              case .privateCopy(let stored) = out[2] else {
            Issue.record("expected two inboxes and the private copy, got \(out)")
            return
        }
        #expect([a, b] == ["alice", "bob"])
        #expect(first == second && second == stored)
        #expect(stored.id == "d1" && stored.channel == "@alice+bob" && stored.data == "psst alice")
        #expect(!out.contains { if case .controlled = $0 { true } else { false } })
    }

    @Test func aProfaneDirectMessageIsMaskedInEveryCopyAndWarnedInChatControl() {
        var engine = ModerationEngine()
        let out = engine.moderate(input("@alice+bob", "alice", "fuck off", id: "d2"))
        let copies: [ChatMessage] = out.compactMap {
            switch $0 {
            case .inbox(let m, _), .privateCopy(let m): m
            case .controlled: nil
            case .control, .deadLetter: nil
            }
        }
        #expect(copies.count == 3 && copies.allSatisfy { $0.data == "**** off" && $0.moderation?.masked == 4 })
        guard case .control(let warning)? = out.last else { Issue.record("expected a warning last, got \(out)"); return }
        #expect(warning.type == .warning && warning.user == "alice" && warning.messageId == "d2")
        #expect(!out.contains { if case .controlled = $0 { true } else { false } })
    }

    @Test(arguments: [
        ("@alice+bob", "eve", "not a participant"),
        ("@alice+alice", "alice", "two different users"),
        ("@bob+alice", "alice", "sorted order"),
    ])
    func aDirectMessageOfAnOutsiderOrToOneselfIsADeadLetter(channel: String, author: String, reason: String) {
        var engine = ModerationEngine()
        let out = engine.moderate(input(channel, author, "hello", id: "d3"))
        guard out.count == 1, case .deadLetter(let letter) = out[0] else {
            Issue.record("expected one dead letter, got \(out)")
            return
        }
        #expect(letter.reason.contains(reason), "\(letter.reason)")
    }

    @Test func aBlockedParticipantsDirectMessageIsRejectedAndDeliveredNowhere() {
        var engine = ModerationEngine()
        engine.apply(.blocked(user: "bob", warnings: 3, timestamp: Date()))
        let out = engine.moderate(input("@alice+bob", "bob", "let me talk", id: "d4"))
        guard out.count == 1, case .control(let event) = out[0] else { Issue.record("got \(out)"); return }
        #expect(event.type == .rejected && event.messageId == "d4")
    }
}
