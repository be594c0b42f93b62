import Foundation
import JWTKit

/// The claims of a kchat access token.
public struct AccessToken: JWTPayload, Equatable {
    public static let issuer = "kchat"

    /// The user name.
    public var sub: SubjectClaim
    public var iss: IssuerClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim

    public init(user: String, issuedAt: Date, expiresAt: Date) {
        self.sub = SubjectClaim(value: user)
        self.iss = IssuerClaim(value: Self.issuer)
        self.iat = IssuedAtClaim(value: issuedAt)
        self.exp = ExpirationClaim(value: expiresAt)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == Self.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "wrong issuer")
        }
    }
}

/// Issues and checks HS256 access tokens with the configured secret.
public actor TokenAuthority {
    private let secret: [UInt8]
    public let lifetime: Duration
    private var keys: JWTKeyCollection?

    public init(secret: [UInt8], lifetime: Duration) {
        self.secret = secret
        self.lifetime = lifetime
    }

    private func collection() async -> JWTKeyCollection {
        if let keys { return keys }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        return keys
    }

    /// A signed token for `user`, valid for `lifetime` from `now`.
    public func issue(for user: String, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        let expiresAt = now.addingTimeInterval(seconds)
        let payload = AccessToken(user: user, issuedAt: now, expiresAt: expiresAt)
        return (try await collection().sign(payload), expiresAt)
    }

    /// The user name in a valid token.
    /// - Throws: `APIError` 401 `token_expired` or `invalid_token`.
    public func user(fromToken token: String) async throws(APIError) -> String {
        let payload: AccessToken
        do {
            payload = try await collection().verify(token, as: AccessToken.self)
        } catch let error as JWTError where error.failedClaim is ExpirationClaim {
            throw .unauthorized("token_expired", "the access token has expired; log in again")
        } catch {
            throw .unauthorized("invalid_token", "the access token is not valid")
        }
        guard !payload.sub.value.isEmpty else {
            throw .unauthorized("invalid_token", "the access token has no subject")
        }
        return payload.sub.value
    }
}
