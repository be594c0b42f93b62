/// Checks an author token (the `kchat-token` header of a chat record): its signature, issuer and
/// subject, but not its expiry (see ``AuthorClaims``). Synchronous, because the moderator's batch
/// handler runs on the consumer thread; ``AuthorTokenCache`` calls it once per distinct token.
/// The hub supplies the implementation (its token authority's key); Moderation knows no JWT.
public struct AuthorVerifier: Sendable {
    /// Why a token is not valid, as written in the `rejected` event and the dead letter.
    public struct Failure: Error, Sendable, Equatable {
        public var reason: String

        public init(reason: String) { self.reason = reason }
    }

    private let verify: @Sendable (String) -> Result<AuthorClaims, Failure>

    public init(_ verify: @escaping @Sendable (_ token: String) -> Result<AuthorClaims, Failure>) {
        self.verify = verify
    }

    public func claims(ofToken token: String) -> Result<AuthorClaims, Failure> { verify(token) }
}
