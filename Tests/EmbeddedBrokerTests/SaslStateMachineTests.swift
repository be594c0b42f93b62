import KafkaWire
import NIOCore
import Testing
@testable import EmbeddedBroker

private func bytes(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }
private func handshake(_ m: String) -> KafkaRequest.Body { .saslHandshake(.init(mechanism: m)) }
private func authenticate(_ s: String) -> KafkaRequest.Body { .saslAuthenticate(.init(authBytes: bytes(s))) }
private let metadata = KafkaRequest.Body.metadata(.init(topics: nil))
private let alice = Principal(name: "alice", kind: .user)
private let mechanisms = ["PLAIN", "OAUTHBEARER"]

@Suite("SASL state machine")
struct SaslStateMachineTests {
    @Test func plainSuccessThenEveryRequestIsRoutedAsThePrincipal() {
        var machine = SaslStateMachine()
        #expect(machine.received(.apiVersions(.init()), version: 2) == .route(nil), "ApiVersions before authentication")
        #expect(machine.received(handshake("PLAIN"), version: 1)
            == .answerHandshake(.init(errorCode: .none, mechanisms: mechanisms), close: false))
        #expect(machine.received(.apiVersions(.init()), version: 2) == .route(nil), "ApiVersions between handshake and authenticate")
        #expect(machine.received(authenticate("\0alice\0secret pw"), version: 1)
            == .check(.plain(user: "alice", password: "secret pw")))
        #expect(machine.state == .checking(.plain))
        #expect(machine.checked(alice) == .answerAuthenticate(.init(errorCode: .none, errorMessage: nil), close: false))
        #expect(machine.received(metadata, version: 4) == .route(alice))
        #expect(machine.received(.apiVersions(.init()), version: 2) == .route(alice))
    }

    @Test func optionalAuthenticationServesAnonymousConnectionsAndChecksThoseThatLogIn() {
        var anonymous = SaslStateMachine(required: false)
        #expect(anonymous.received(metadata, version: 4) == .route(nil), "no handshake: served anonymously")
        #expect(anonymous.received(metadata, version: 4) == .route(nil))

        var loggingIn = SaslStateMachine(required: false)
        _ = loggingIn.received(handshake("PLAIN"), version: 1)
        #expect(loggingIn.received(metadata, version: 4) == .close(reason: "Metadata before SASL authentication"),
                "a started handshake must be finished")
        var refused = SaslStateMachine(required: false)
        _ = refused.received(handshake("PLAIN"), version: 1)
        _ = refused.received(authenticate("\0alice\0wrong"), version: 1)
        guard case .answerAuthenticate(_, close: true) = refused.checked(nil) else {
            Issue.record("a refused login closes even when authentication is optional")
            return
        }
        var accepted = SaslStateMachine(required: false)
        _ = accepted.received(handshake("PLAIN"), version: 1)
        _ = accepted.received(authenticate("\0alice\0right"), version: 1)
        _ = accepted.checked(alice)
        #expect(accepted.received(metadata, version: 4) == .route(alice))

        var required = SaslStateMachine()
        #expect(required.received(metadata, version: 4) == .close(reason: "Metadata before SASL authentication"))
    }

    @Test func plainRefusedAnswersAuthenticationFailedAndCloses() {
        var machine = SaslStateMachine()
        _ = machine.received(handshake("PLAIN"), version: 1)
        #expect(machine.received(authenticate("alice\0alice\0wrong"), version: 0) == .check(.plain(user: "alice", password: "wrong")))
        guard case .answerAuthenticate(let response, close: true) = machine.checked(nil) else {
            Issue.record("refusal must answer and close")
            return
        }
        #expect(response.errorCode == .saslAuthenticationFailed)
        #expect(response.errorMessage?.contains("invalid user name or password") == true)
        #expect(machine.state == .failed)
    }

    @Test func malformedPlainIsRefusedWithoutACheck() {
        var machine = SaslStateMachine()
        _ = machine.received(handshake("PLAIN"), version: 1)
        guard case .answerAuthenticate(let response, close: true) = machine.received(authenticate("no nul bytes"), version: 1) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(response.errorCode == .saslAuthenticationFailed)
    }

    @Test func aHugeSaslMessageIsRefusedWithoutACheck() {
        for mechanism in ["PLAIN", "OAUTHBEARER"] {
            var machine = SaslStateMachine()
            _ = machine.received(handshake(mechanism), version: 1)
            let huge = KafkaRequest.Body.saslAuthenticate(.init(authBytes: ByteBuffer(repeating: 0x41, count: 10_000_000)))
            guard case .answerAuthenticate(let response, close: true) = machine.received(huge, version: 1) else {
                Issue.record("expected a refusal")
                continue
            }
            #expect(response.errorCode == .saslAuthenticationFailed)
            #expect(response.errorMessage?.contains("too long") == true)
        }
    }

    @Test func oauthBearerSuccess() {
        var machine = SaslStateMachine()
        _ = machine.received(handshake("OAUTHBEARER"), version: 1)
        #expect(machine.received(authenticate("n,,\u{1}auth=Bearer abc.def.ghi\u{1}\u{1}"), version: 1)
            == .check(.bearer(token: "abc.def.ghi")))
        #expect(machine.checked(alice) == .answerAuthenticate(.init(errorCode: .none, errorMessage: nil), close: false))
        #expect(machine.principal == alice)
    }

    @Test func oauthBearerRefusedSendsTheRFC7628ErrorChallengeThenFails() {
        var machine = SaslStateMachine()
        _ = machine.received(handshake("OAUTHBEARER"), version: 1)
        _ = machine.received(authenticate("n,,\u{1}auth=Bearer bad\u{1}\u{1}"), version: 1)
        guard case .answerAuthenticate(let challenge, close: false) = machine.checked(nil) else {
            Issue.record("expected the error challenge")
            return
        }
        #expect(challenge.errorCode == .none)
        #expect(String(buffer: challenge.authBytes) == #"{"status":"invalid_token"}"#)
        #expect(machine.state == .awaitingErrorAcknowledgement)
        guard case .answerAuthenticate(let final, close: true) = machine.received(authenticate("\u{1}"), version: 1) else {
            Issue.record("expected the final refusal")
            return
        }
        #expect(final.errorCode == .saslAuthenticationFailed)
    }

    @Test func unsupportedMechanismAnswers33AndCloses() {
        var machine = SaslStateMachine()
        #expect(machine.received(handshake("SCRAM-SHA-256"), version: 1)
            == .answerHandshake(.init(errorCode: .unsupportedSaslMechanism, mechanisms: mechanisms), close: true))
        #expect(machine.state == .failed)
    }

    @Test func handshakeV0IsRefused() {
        var machine = SaslStateMachine()
        #expect(machine.received(handshake("PLAIN"), version: 0)
            == .answerHandshake(.init(errorCode: .unsupportedVersion, mechanisms: mechanisms), close: true))
    }

    @Test func authenticateBeforeHandshakeIsIllegalState() {
        var machine = SaslStateMachine()
        guard case .answerAuthenticate(let response, close: true) = machine.received(authenticate("\0a\0b"), version: 1) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(response.errorCode == .illegalSaslState)
    }

    @Test func aSecondHandshakeIsIllegalState() {
        var machine = SaslStateMachine()
        _ = machine.received(handshake("PLAIN"), version: 1)
        #expect(machine.received(handshake("PLAIN"), version: 1)
            == .answerHandshake(.init(errorCode: .illegalSaslState, mechanisms: mechanisms), close: true))
        var done = SaslStateMachine()
        _ = done.received(handshake("PLAIN"), version: 1)
        _ = done.received(authenticate("\0alice\0pw"), version: 1)
        _ = done.checked(alice)
        #expect(done.received(handshake("PLAIN"), version: 1)
            == .answerHandshake(.init(errorCode: .illegalSaslState, mechanisms: mechanisms), close: true))
        var again = SaslStateMachine()
        _ = again.received(handshake("PLAIN"), version: 1)
        _ = again.received(authenticate("\0alice\0pw"), version: 1)
        _ = again.checked(alice)
        guard case .answerAuthenticate(let response, close: true) = again.received(authenticate("\0alice\0pw"), version: 1) else {
            Issue.record("SaslAuthenticate after authentication must be refused")
            return
        }
        #expect(response.errorCode == .illegalSaslState)
    }

    @Test("any other API before authentication closes the connection", arguments: [
        KafkaRequest.Body.metadata(.init(topics: nil)),
        .produce(.init(acks: 1, timeoutMs: 1, topics: [])),
        .listGroups(.init()),
        .deleteTopics(.init(topicNames: ["chat"], timeoutMs: 1)),
    ])
    func otherRequestsBeforeAuthenticationClose(body: KafkaRequest.Body) {
        var fresh = SaslStateMachine()
        guard case .close = fresh.received(body, version: 0) else {
            Issue.record("expected a close")
            return
        }
        var midway = SaslStateMachine()
        _ = midway.received(handshake("PLAIN"), version: 1)
        guard case .close = midway.received(body, version: 0) else {
            Issue.record("expected a close after the handshake too")
            return
        }
        #expect(midway.state == .failed)
    }
}

@Suite("SASL messages: PLAIN and OAUTHBEARER parsing")
struct SaslMessagesTests {
    @Test func plain() {
        #expect(SaslMessages.parsePlain(Array("\0alice\0pw".utf8))! == ("alice", "pw"))
        #expect(SaslMessages.parsePlain(Array("alice\0alice\0pw".utf8))! == ("alice", "pw"))
        #expect(SaslMessages.parsePlain(Array("pw with\0nul\0in\0it".utf8)) == nil, "a NUL in the password")
        #expect(SaslMessages.parsePlain(Array("bob\0alice\0pw".utf8)) == nil, "acting as someone else")
        #expect(SaslMessages.parsePlain(Array("alice pw".utf8)) == nil, "no NULs")
        #expect(SaslMessages.parsePlain(Array("\0alice".utf8)) == nil, "one NUL")
        #expect(SaslMessages.parsePlain(Array("\0\0pw".utf8)) == nil, "empty user")
        #expect(SaslMessages.parsePlain(Array("\0alice\0".utf8)) == nil, "empty password")
        #expect(SaslMessages.parsePlain([]) == nil)
        #expect(SaslMessages.parsePlain([0, 0x61, 0, 0xff, 0xfe]) == nil, "invalid UTF-8")
        #expect(SaslMessages.parsePlain([0, 0xc3, 0, 0x61]) == nil, "truncated UTF-8 user")
        #expect(SaslMessages.parsePlain(Array(("\0alice\0" + String(repeating: "p", count: 4097)).utf8)) == nil, "long password")
        #expect(SaslMessages.parsePlain(Array(("\0alice\0" + String(repeating: "t", count: 400)).utf8))?.password.count == 400,
                "a token stands for the password")
        #expect(SaslMessages.parsePlain(Array(("\0" + String(repeating: "u", count: 256) + "\0pw").utf8)) == nil, "long user")
        #expect(SaslMessages.parsePlain([UInt8](repeating: 0x41, count: 10_000_000) + [0, 0x61, 0, 0x62]) == nil, "huge")
    }

    @Test func oauthBearer() {
        #expect(SaslMessages.parseOAuthBearer(Array("n,,\u{1}auth=Bearer a.b.c\u{1}\u{1}".utf8)) == "a.b.c")
        #expect(SaslMessages.parseOAuthBearer(Array("n,a=alice,\u{1}host=x\u{1}auth=Bearer a.b-_c\u{1}\u{1}".utf8)) == "a.b-_c")
        #expect(SaslMessages.parseOAuthBearer(Array("n,,\u{1}auth=Bearer a.b.c\u{1}".utf8)) == nil, "one closing \\x01")
        #expect(SaslMessages.parseOAuthBearer(Array("n,,\u{1}\u{1}".utf8)) == nil, "no auth")
        #expect(SaslMessages.parseOAuthBearer(Array("n,,\u{1}host=x\u{1}\u{1}".utf8)) == nil, "no auth pair")
        #expect(SaslMessages.parseOAuthBearer(Array("y,,\u{1}auth=Bearer a\u{1}\u{1}".utf8)) == nil, "channel binding flag")
        #expect(SaslMessages.parseOAuthBearer(Array("n,,\u{1}auth=Basic a\u{1}\u{1}".utf8)) == nil, "not Bearer")
        #expect(SaslMessages.parseOAuthBearer(Array("n,,\u{1}auth=Bearer \u{1}\u{1}".utf8)) == nil, "empty token")
        #expect(SaslMessages.parseOAuthBearer(Array("n,,\u{1}auth=Bearer a b\u{1}\u{1}".utf8)) == nil, "space in token")
        #expect(SaslMessages.parseOAuthBearer(Array("n,,\u{1}auth=Bearer a\u{1}auth=Bearer b\u{1}\u{1}".utf8)) == nil, "two auths")
        #expect(SaslMessages.parseOAuthBearer(Array("n,,\u{1}noequals\u{1}\u{1}".utf8)) == nil)
        #expect(SaslMessages.parseOAuthBearer([0x6e, 0x2c, 0x2c, 1, 0xff, 1, 1]) == nil, "invalid UTF-8")
        #expect(SaslMessages.parseOAuthBearer([]) == nil)
        let huge = "n,,\u{1}auth=Bearer " + String(repeating: "a", count: 20_000) + "\u{1}\u{1}"
        #expect(SaslMessages.parseOAuthBearer(Array(huge.utf8)) == nil, "huge")
    }
}
