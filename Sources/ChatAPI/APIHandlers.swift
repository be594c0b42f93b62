import ChatModel
import ChatStore
import Foundation
import Hummingbird

/// Dependencies shared by the route handlers.
struct APIHandlers: Sendable {
    let config: APIConfiguration
    let store: any ChatStore
    let publisher: any MessagePublisher
    let tokens: TokenAuthority
    let passwords: PasswordHasher
    let metrics: APIMetrics
    let authAttempts: AttemptThrottle

    init(config: APIConfiguration, store: any ChatStore, publisher: any MessagePublisher) {
        self.config = config
        self.store = store
        self.publisher = publisher
        self.tokens = TokenAuthority(secret: config.jwtSecret, lifetime: config.tokenLifetime)
        self.passwords = PasswordHasher(cost: config.bcryptCost)
        self.metrics = APIMetrics(registry: config.metrics)
        self.authAttempts = AttemptThrottle(burst: config.authAttemptBurst, interval: config.authAttemptInterval)
    }

    /// One login or registration attempt of the request's client.
    /// - Throws: `APIError` 429 `too_many_attempts`, with Retry-After, past the client's allowance.
    func takeAuthAttempt(_ context: APIRequestContext) throws {
        guard let wait = authAttempts.take(context.clientAddress) else { return }
        let seconds = max(1, wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0))
        throw APIError(.tooManyRequests, "too_many_attempts",
                       "too many login or registration attempts from this address; try again in \(seconds) s",
                       headers: [.retryAfter: String(seconds)])
    }

    /// The user named by the bearer token.
    /// - Throws: `APIError` 401 `missing_token`, `invalid_token` or `token_expired`.
    func authenticatedUser(_ request: Request) async throws -> String {
        try await authenticatedClaims(request).sub.value
    }

    /// The claims of the bearer token.
    /// - Throws: `APIError` 401 `missing_token`, `invalid_token` or `token_expired`.
    func authenticatedClaims(_ request: Request) async throws -> AccessToken {
        try await authenticatedToken(request).claims
    }

    /// The bearer token and its claims.
    /// - Throws: `APIError` 401 `missing_token`, `invalid_token` or `token_expired`.
    func authenticatedToken(_ request: Request) async throws -> (token: String, claims: AccessToken) {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing_token", "this request needs 'Authorization: Bearer <token>' (POST /v1/login)")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("invalid_token", "the Authorization header must be 'Bearer <token>'")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return (token, try await tokens.claims(fromToken: token))
    }

    /// The `{channel}` path parameter: percent-decoded, `#` dropped, public names lower-cased,
    /// direct channels put in canonical order (`@bob+alice` -> `@alice+bob`), then validated.
    func channelParameter(_ context: APIRequestContext) throws -> String {
        let raw = context.parameters.get("channel") ?? ""
        var name = ChannelName.normalize(raw.removingPercentEncoding ?? raw)
        if let (a, b) = ChannelName.participants(name), a != b, UserName.isValid(a), UserName.isValid(b) {
            name = ChannelName.direct(a, b)
        }
        do {
            try ChannelName.validate(name)
        } catch {
            throw APIError(model: error)
        }
        return name
    }

    /// Who may read or write `channel`: the two participants of a direct channel; for a public
    /// one it must exist. Returns the authenticated user when there is one.
    @discardableResult
    func checkAccess(to channel: String, request: Request, requireAuth: Bool) async throws -> String? {
        if ChannelName.isDirect(channel) {
            let user = try await authenticatedUser(request)
            guard ChannelName.peer(of: channel, me: user) != nil else {
                throw APIError.forbidden("not_a_participant", "only the two participants can use \(channel)")
            }
            return user
        }
        let user = requireAuth ? try await authenticatedUser(request) : nil
        guard try await store.channel(named: channel) != nil else {
            throw APIError.notFound("channel_not_found", "there is no channel '\(channel)'")
        }
        return user
    }
}
