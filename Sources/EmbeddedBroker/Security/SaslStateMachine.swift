import KafkaWire
import NIOCore

/// The authentication state of one connection when the broker requires SASL. It is fed only
/// decoded requests (hostile bytes close the connection before they get here) and the results
/// of credential checks, and answers with actions for the connection handler. Every request a
/// client can send in any state leads to an answer or a close; a transition the handler itself
/// must never cause (a request while a check is running, a check result nobody asked for) traps,
/// naming the state.
///
/// Flow (SaslHandshake v1 + SaslAuthenticate, as librdkafka and the Java client use):
///
///     awaitingHandshake --SaslHandshake(mechanism)--> awaitingAuthenticate
///     awaitingAuthenticate --SaslAuthenticate--> checking --accepted--> authenticated
///                                                          --refused---> failed (answer 58, close)
///     OAUTHBEARER refused: checking --> awaitingErrorAcknowledgement (JSON challenge)
///                          --SaslAuthenticate(\x01)--> failed (answer 58, close)
///
/// ApiVersions is answered in every state; any other API before `authenticated` closes the
/// connection, as Kafka does. When authentication is optional (`required: false`, a hub run
/// with `--auth none`), a connection that sends another API before any handshake is served
/// anonymously, while one that starts SASL must finish it as above.
struct SaslStateMachine {
    enum State: Equatable {
        case awaitingHandshake
        case awaitingAuthenticate(SaslMechanism)
        case checking(SaslMechanism)
        case awaitingErrorAcknowledgement
        case authenticated(Principal)
        case failed
    }

    /// What a check needs: the mechanism's credentials.
    enum Credentials: Equatable, Sendable {
        case plain(user: String, password: String)
        case bearer(token: String)
    }

    enum RequestAction: Equatable {
        /// Handle the request normally (as `principal`, nil for ApiVersions before authentication).
        case route(Principal?)
        /// Answer the handshake; close after the answer when `close` is set.
        case answerHandshake(SaslHandshakeResponse, close: Bool)
        /// Answer the authenticate request; close after the answer when `close` is set.
        case answerAuthenticate(SaslAuthenticateResponse, close: Bool)
        /// Check these credentials off the event loop, then call `checked(_:)`.
        case check(Credentials)
        /// Close the connection without an answer, logging `reason`.
        case close(reason: String)
    }

    private(set) var state: State = .awaitingHandshake
    let mechanisms: [SaslMechanism]
    /// False: a connection may skip SASL and be served without a principal.
    let required: Bool

    init(mechanisms: [SaslMechanism] = SaslMechanism.allCases, required: Bool = true) {
        self.mechanisms = mechanisms
        self.required = required
    }

    var principal: Principal? {
        if case .authenticated(let principal) = state { return principal }
        return nil
    }

    mutating func received(_ body: KafkaRequest.Body, version: Int16) -> RequestAction {
        switch state {
        case .checking, .failed:
            preconditionFailure("SaslStateMachine: request \(body.apiName) received in state \(state)")
        default:
            break
        }
        switch body {
        case .apiVersions:
            return .route(principal)
        case .saslHandshake(let request):
            return handshake(request, version: version)
        case .saslAuthenticate(let request):
            return authenticate(request)
        default:
            if let principal { return .route(principal) }
            if !required, state == .awaitingHandshake { return .route(nil) }
            state = .failed
            return .close(reason: "\(body.apiName) before SASL authentication")
        }
    }

    private mutating func handshake(_ request: SaslHandshakeRequest, version: Int16) -> RequestAction {
        let names = mechanisms.map(\.rawValue)
        guard case .awaitingHandshake = state else {
            state = .failed
            return .answerHandshake(.init(errorCode: .illegalSaslState, mechanisms: names), close: true)
        }
        guard version >= 1 else {
            // v0 would be followed by unframed SASL tokens, which this broker does not speak.
            state = .failed
            return .answerHandshake(.init(errorCode: .unsupportedVersion, mechanisms: names), close: true)
        }
        guard let mechanism = SaslMechanism(rawValue: request.mechanism), mechanisms.contains(mechanism) else {
            state = .failed
            return .answerHandshake(.init(errorCode: .unsupportedSaslMechanism, mechanisms: names), close: true)
        }
        state = .awaitingAuthenticate(mechanism)
        return .answerHandshake(.init(errorCode: .none, mechanisms: names), close: false)
    }

    private mutating func authenticate(_ request: SaslAuthenticateRequest) -> RequestAction {
        switch state {
        case .awaitingAuthenticate(let mechanism):
            // Bounded before copying: a frame may carry up to maxFrameBytes of auth bytes.
            guard request.authBytes.readableBytes <= max(SaslMessages.maxPlainBytes, SaslMessages.maxBearerMessageBytes) else {
                state = .failed
                return .answerAuthenticate(Self.failure("SASL message of \(request.authBytes.readableBytes) bytes is too long"),
                                           close: true)
            }
            let bytes = Array(request.authBytes.readableBytesView)
            switch mechanism {
            case .plain:
                guard let (user, password) = SaslMessages.parsePlain(bytes) else {
                    state = .failed
                    return .answerAuthenticate(Self.failure("malformed SASL/PLAIN message"), close: true)
                }
                state = .checking(mechanism)
                return .check(.plain(user: user, password: password))
            case .oauthBearer:
                guard let token = SaslMessages.parseOAuthBearer(bytes) else {
                    state = .failed
                    return .answerAuthenticate(Self.failure("malformed SASL/OAUTHBEARER client message"), close: true)
                }
                state = .checking(mechanism)
                return .check(.bearer(token: token))
            }
        case .awaitingErrorAcknowledgement:
            // RFC 7628: the client acknowledges the error challenge (with \x01); then fail.
            state = .failed
            return .answerAuthenticate(Self.failure("invalid or expired token"), close: true)
        default:
            state = .failed
            return .answerAuthenticate(.init(errorCode: .illegalSaslState,
                                             errorMessage: "SaslAuthenticate not expected in state \(state)"), close: true)
        }
    }

    /// The result of a check started by `.check`.
    mutating func checked(_ principal: Principal?) -> RequestAction {
        guard case .checking(let mechanism) = state else {
            preconditionFailure("SaslStateMachine: credential check result in state \(state)")
        }
        if let principal {
            state = .authenticated(principal)
            return .answerAuthenticate(.init(errorCode: .none, errorMessage: nil), close: false)
        }
        switch mechanism {
        case .plain:
            state = .failed
            return .answerAuthenticate(Self.failure("invalid user name or password"), close: true)
        case .oauthBearer:
            state = .awaitingErrorAcknowledgement
            var challenge = ByteBuffer()
            challenge.writeBytes(SaslMessages.oauthBearerErrorChallenge)
            return .answerAuthenticate(.init(errorCode: .none, errorMessage: nil, authBytes: challenge), close: false)
        }
    }

    static func failure(_ reason: String) -> SaslAuthenticateResponse {
        .init(errorCode: .saslAuthenticationFailed, errorMessage: "Authentication failed: \(reason)")
    }
}

extension KafkaRequest.Body {
    /// The API's name, for log lines.
    var apiName: String {
        switch self {
        case .apiVersions: "ApiVersions"
        case .produce: "Produce"
        case .fetch: "Fetch"
        case .listOffsets: "ListOffsets"
        case .metadata: "Metadata"
        case .offsetCommit: "OffsetCommit"
        case .offsetFetch: "OffsetFetch"
        case .findCoordinator: "FindCoordinator"
        case .joinGroup: "JoinGroup"
        case .heartbeat: "Heartbeat"
        case .leaveGroup: "LeaveGroup"
        case .syncGroup: "SyncGroup"
        case .describeGroups: "DescribeGroups"
        case .listGroups: "ListGroups"
        case .createTopics: "CreateTopics"
        case .deleteTopics: "DeleteTopics"
        case .initProducerId: "InitProducerId"
        case .saslHandshake: "SaslHandshake"
        case .saslAuthenticate: "SaslAuthenticate"
        }
    }
}
