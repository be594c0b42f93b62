import Foundation
import KafkaClient
import Synchronization

/// The logged-in user's token for one client session. It authenticates the session's Kafka
/// connections (librdkafka asks ``provide(now:)`` for SASL/OAUTHBEARER) and signs each message
/// sent (the `kchat-token` header). Near its expiry a refresh starts in the background (at most
/// one at a time, at most one try per `retryInterval`); callers never wait for the network.
public final class TokenKeeper: Sendable {
    public let login: AccountLogin
    public let retryInterval: TimeInterval
    private let state: Mutex<State>

    struct State {
        var token: APIClient.IssuedToken
        var refreshing = false
        var lastAttempt: Date?
    }

    public init(login: AccountLogin, token: APIClient.IssuedToken, retryInterval: TimeInterval = 30) {
        self.login = login
        self.retryInterval = retryInterval
        state = Mutex(State(token: token))
    }

    /// The token held now.
    public var current: APIClient.IssuedToken { state.withLock { $0.token } }

    /// The current token (throws once it has expired); starts a background refresh when it is
    /// within the login's refresh margin of its expiry.
    public func provide(now: Date = Date()) throws -> OAuthBearerToken {
        let (token, refresh) = state.withLock { state -> (APIClient.IssuedToken, Bool) in
            let near = state.token.expiresAt.timeIntervalSince(now) < login.refreshMargin
            let due = state.lastAttempt.map { now.timeIntervalSince($0) >= retryInterval } ?? true
            guard near, due, !state.refreshing else { return (state.token, false) }
            state.refreshing = true
            state.lastAttempt = now
            return (state.token, true)
        }
        if refresh {
            Task { await self.refresh(token) }
        }
        guard token.expiresAt > now else {
            throw APIClientError("the token of \(login.name) expired at \(token.expiresAt) and could not be refreshed: run `kchat login`")
        }
        return OAuthBearerToken(token: token.token, expiresAt: token.expiresAt, principal: login.name)
    }

    /// `provide` as librdkafka's token callback.
    public var provider: OAuthBearerTokenProvider {
        { [self] in try provide() }
    }

    func refresh(_ token: APIClient.IssuedToken) async {
        let fresh = try? await login.api.refresh(token.token)
        if let fresh { try? login.save(fresh) }
        state.withLock { state in
            if let fresh, fresh.expiresAt > state.token.expiresAt { state.token = fresh }
            state.refreshing = false
        }
    }
}
