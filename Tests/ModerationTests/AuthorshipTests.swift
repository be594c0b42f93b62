import ChatModel
import Foundation
import KafkaClient
import Moderation
import Synchronization
import Testing

/// Signed authorship: a message is delivered only when its `kchat-token` names its author.
@Suite("Authorship")
struct AuthorshipTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Tokens are "sig:<user>:<seconds left at `now`>" (anything else is refused); counts calls.
    final class FakeVerifier: Sendable {
        private let calls = Atomic<Int>(0)
        var count: Int { calls.load(ordering: .relaxed) }

        var verifier: AuthorVerifier {
            AuthorVerifier { [self] token in
                calls.add(1, ordering: .relaxed)
                let parts = token.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 3, parts[0] == "sig", let seconds = Double(parts[2]) else {
                    return .failure(.init(reason: "bad signature"))
                }
                return .success(AuthorClaims(subject: String(parts[1]), expiresAt: AuthorshipTests.now.addingTimeInterval(seconds)))
            }
        }
    }

    private func record(_ author: String, id: String = UUID().uuidString, data: String = "hello") -> ModerationInput {
        let message = ChatMessage(id: id, channel: "general", author: author, data: data, timestamp: Self.now)
        return ModerationInput(topic: "chat", partition: 1, offset: 9, key: Array("general".utf8), value: Array(message.jsonData()))
    }

    private func headers(_ token: String?) -> [KafkaHeader] {
        token.map { [KafkaHeader(key: ChatMessage.tokenHeader, string: $0)] } ?? []
    }

    /// Moderates `input` signed with `token` through a cache over the fake verifier.
    private func moderate(_ input: ModerationInput, token: String?, engine: inout ModerationEngine) -> [ModerationOutput] {
        var cache = AuthorTokenCache(verifier: FakeVerifier().verifier)
        return engine.moderate(input, authorship: cache.check(headers: headers(token)), now: Self.now)
    }

    private func rejection(_ outputs: [ModerationOutput]) -> (event: ControlEvent?, letter: DeadLetter?, delivered: Bool) {
        var event: ControlEvent?
        var letter: DeadLetter?
        var delivered = false
        for output in outputs {
            switch output {
            case .control(let e): event = e
            case .deadLetter(let l): letter = l
            case .controlled, .inbox, .privateCopy: delivered = true
            }
        }
        return (event, letter, delivered)
    }

    private func presence(_ event: ControlEvent) -> ModerationInput {
        ModerationInput(topic: "chat", partition: 1, offset: 10, key: Array("general".utf8), value: Array(event.jsonData()))
    }

    @Test func joinAndLeaveFromClientsArePublishedOnlyWhenSignedByTheirUser() {
        var engine = ModerationEngine()
        let join = ControlEvent.join(user: "alice", channel: "general", timestamp: Self.now)
        #expect(moderate(presence(join), token: "sig:alice:60", engine: &engine) == [.control(join)])
        let leave = ControlEvent.leave(user: "alice", channel: "general", timestamp: Self.now)
        for token in ["sig:bob:60", "sig:alice:-1", "forged", nil] as [String?] {
            let outputs = moderate(presence(leave), token: token, engine: &engine)
            let (event, letter, delivered) = rejection(outputs)
            #expect(event == nil && !delivered, "\(token ?? "unsigned"): no event published")
            #expect(letter?.reason.hasPrefix("leave of alice: ") == true, "\(token ?? "unsigned"): \(letter?.reason ?? "none")")
        }
        #expect(engine.moderate(presence(leave), authorship: nil, now: Self.now) == [.control(leave)], "authorship off")
        let dm = ControlEvent.join(user: "alice", channel: "@alice+bob", timestamp: Self.now)
        #expect(moderate(presence(dm), token: "sig:alice:60", engine: &engine).isEmpty, "no presence in DMs (who talks to whom)")
    }

    @Test func clientsCannotSendWarningsOrBlocksThroughChat() {
        var engine = ModerationEngine()
        for event in [ControlEvent.blocked(user: "bob", reason: "forged", timestamp: Self.now),
                      .unblocked(user: "eve", reason: "forged", timestamp: Self.now)] {
            let outputs = moderate(presence(event), token: "sig:\(event.user):60", engine: &engine)
            guard case .deadLetter = outputs.first, outputs.count == 1 else {
                Issue.record("\(event.type) from a client must be a dead letter, got \(outputs)")
                continue
            }
        }
        #expect(!engine.standing(of: "bob").blocked)
    }

    @Test func aValidTokenOfTheAuthorIsDelivered() {
        var engine = ModerationEngine()
        let input = record("alice")
        let out = moderate(input, token: "sig:alice:60", engine: &engine)
        #expect(out.count == 1)
        #expect(rejection(out).delivered)
    }

    @Test(arguments: [
        ("sig:bob:60", "token names bob, message says alice"),
        ("sig:alice:-1", "token expired"),
        ("sig:alice:0", "token expired"),
        ("forged", "invalid token: bad signature"),
        (nil, "unsigned message (no kchat-token header)"),
    ] as [(String?, String)])
    func aMessageWithoutAValidTokenOfItsAuthorIsRejectedAndDeadLettered(token: String?, reason: String) {
        var engine = ModerationEngine()
        let input = record("alice", id: "m1")
        let (event, letter, delivered) = rejection(moderate(input, token: token, engine: &engine))
        #expect(!delivered, "not on chat_controlled")
        #expect(event?.type == .rejected && event?.user == "alice" && event?.messageId == "m1" && event?.channel == "general")
        #expect(event?.reason == reason)
        #expect(letter?.reason == reason)
        #expect(letter?.value == String(decoding: input.value, as: UTF8.self) && letter?.offset == 9 && letter?.partition == 1
                && letter?.key == "general", "the raw record")
    }

    @Test func withoutTheRequirementNothingIsChecked() {
        var engine = ModerationEngine()
        #expect(rejection(engine.moderate(record("alice"), now: Self.now)).delivered)
    }

    @Test func aReplayedForgeryIsDeadLetteredAgainButRejectedOnce() {
        var engine = ModerationEngine()
        let input = record("alice", id: "m1")
        let first = rejection(moderate(input, token: "sig:bob:60", engine: &engine))
        let replay = rejection(moderate(input, token: "sig:bob:60", engine: &engine))
        #expect(first.event != nil && replay.event == nil, "one rejected event per message id")
        #expect(replay.letter != nil && !replay.delivered)
    }

    @Test func badInputIsStillADeadLetterForItsOwnReason() {
        var engine = ModerationEngine()
        let poison = ModerationInput(topic: "chat", partition: 0, offset: 1, key: nil, value: Array("{nope".utf8))
        let out = engine.moderate(poison, authorship: .unsigned, now: Self.now)
        guard case .deadLetter(let letter)? = out.first, out.count == 1 else {
            Issue.record("expected one dead letter, got \(out)")
            return
        }
        #expect(!letter.reason.contains("unsigned"))
    }

    @Test func verificationIsCachedPerTokenAndExpiryIsCheckedOnEveryUse() {
        let fake = FakeVerifier()
        var cache = AuthorTokenCache(verifier: fake.verifier)
        for _ in 0..<100 {
            for user in ["alice", "bob", "carol"] { _ = cache.check(headers: headers("sig:\(user):60")) }
        }
        #expect(fake.count == 3 && cache.verifications == 3 && cache.hits == 297)
        // Cached while valid, refused once expired: the cached claims meet a later clock.
        let check = cache.check(token: "sig:alice:60")
        #expect(check.rejection(author: "alice", now: Self.now) == nil)
        #expect(check.rejection(author: "alice", now: Self.now.addingTimeInterval(61)) == "token expired")
        #expect(fake.count == 3)
        // Refusals are cached too.
        _ = cache.check(token: "forged")
        _ = cache.check(token: "forged")
        #expect(fake.count == 4)
    }

    @Test func theCacheIsBounded() {
        let fake = FakeVerifier()
        var cache = AuthorTokenCache(verifier: fake.verifier, capacity: 10)
        for i in 0..<25 { _ = cache.check(token: "sig:u\(i):60") }
        #expect(cache.count <= 10)
        _ = cache.check(token: "sig:u24:60")
        #expect(fake.count == 25, "the newest entry survives the clearing")
    }

    @Test(arguments: [
        ([], AuthorshipCheck.unsigned),
        ([KafkaHeader(key: "other", string: "sig:alice:60")], .unsigned),
        ([KafkaHeader(key: ChatMessage.tokenHeader, value: nil)], .unsigned),
        ([KafkaHeader(key: ChatMessage.tokenHeader, string: "sig:alice:60"), KafkaHeader(key: ChatMessage.tokenHeader, string: "sig:alice:60")],
         .token(.failure(.init(reason: "several kchat-token headers")))),
        ([KafkaHeader(key: ChatMessage.tokenHeader, value: [0xff, 0xfe])], .token(.failure(.init(reason: "token is not UTF-8")))),
        ([KafkaHeader(key: ChatMessage.tokenHeader, string: String(repeating: "a", count: 5000))],
         .token(.failure(.init(reason: "token longer than 4096 bytes")))),
    ] as [([KafkaHeader], AuthorshipCheck)])
    func oddHeadersAreUnsignedOrRefusedWithoutVerifying(headers: [KafkaHeader], expected: AuthorshipCheck) {
        let fake = FakeVerifier()
        var cache = AuthorTokenCache(verifier: fake.verifier)
        #expect(cache.check(headers: headers) == expected)
        #expect(fake.count == 0)
    }

    @Test func theTokenHeaderIsFoundAmongOthers() {
        var cache = AuthorTokenCache(verifier: FakeVerifier().verifier)
        let check = cache.check(headers: [KafkaHeader(key: "trace", string: "x"), KafkaHeader(key: ChatMessage.tokenHeader, string: "sig:alice:60")])
        #expect(check == .token(.success(AuthorClaims(subject: "alice", expiresAt: Self.now.addingTimeInterval(60)))))
    }
}
