import Crypto
import Foundation
import JWTKit

/// The claims of a kchat access token.
public struct AccessToken: JWTPayload, Equatable {
    public static let issuer = "kchat"

    /// What a token's subject may do: every account is a `user`; `admin` may block, unblock and
    /// delete any channel; `service` is for kchat's own services (moderator, store, hub).
    public enum Role: String, Codable, Sendable, CaseIterable {
        case user, admin, service
    }

    /// The user name.
    public var sub: SubjectClaim
    public var iss: IssuerClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var roles: [Role]

    public init(user: String, roles: [Role] = [.user], issuedAt: Date, expiresAt: Date) {
        self.sub = SubjectClaim(value: user)
        self.iss = IssuerClaim(value: Self.issuer)
        self.iat = IssuedAtClaim(value: issuedAt)
        self.exp = ExpirationClaim(value: expiresAt)
        self.roles = roles
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == Self.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "wrong issuer")
        }
    }
}

/// Issues and checks access tokens signed with an Ed25519 key (EdDSA), so that whoever holds
/// only the public key (`jwks()`, served at `/.well-known/jwks.json`) can check a token but not
/// make one: a broker, another cluster's OIDC validator.
///
/// The key pair is derived from the configured secret (SHA-256 of a label and the secret as the
/// Ed25519 seed), so every API process given the same secret signs with the same key, and the
/// secret stays the one thing to keep private.
public actor TokenAuthority {
    public let lifetime: Duration
    /// Identifies the key in token headers and in the JWKS.
    public nonisolated let keyID: String
    private nonisolated let privateKey: Curve25519.Signing.PrivateKey
    private var keys: JWTKeyCollection?

    public init(secret: [UInt8], lifetime: Duration) {
        var seed = SHA256()
        seed.update(data: Array("kchat access token signing key, Ed25519, v1\u{0}".utf8))
        seed.update(data: secret)
        // A SHA-256 digest is 32 bytes, exactly an Ed25519 seed: this initializer cannot fail.
        privateKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: Data(seed.finalize()))
        let publicKey = privateKey.publicKey.rawRepresentation
        keyID = SHA256.hash(data: publicKey).prefix(8).map { String(format: "%02x", $0) }.joined()
        self.lifetime = lifetime
    }

    private func collection() async -> JWTKeyCollection {
        if let keys { return keys }
        let keys = JWTKeyCollection()
        await keys.add(eddsa: EdDSA.PrivateKey(backing: privateKey), kid: JWKIdentifier(string: keyID))
        self.keys = keys
        return keys
    }

    /// The public key as a JSON Web Key Set (RFC 7517, OKP key of RFC 8037).
    public nonisolated func jwks() -> JWKSet {
        JWKSet(keys: [.init(kty: "OKP", crv: "Ed25519", x: Self.base64URL(privateKey.publicKey.rawRepresentation),
                            kid: keyID, alg: "EdDSA", use: "sig")])
    }

    public struct JWKSet: Codable, Sendable, Equatable {
        public struct Key: Codable, Sendable, Equatable {
            public var kty: String
            public var crv: String
            public var x: String
            public var kid: String
            public var alg: String
            public var use: String
        }
        public var keys: [Key]
    }

    /// A signed token for `user` with `roles`, valid for `lifetime` from `now`.
    public func issue(for user: String, roles: [AccessToken.Role] = [.user],
                      now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        let seconds = Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        let expiresAt = now.addingTimeInterval(seconds)
        let payload = AccessToken(user: user, roles: roles, issuedAt: now, expiresAt: expiresAt)
        return (try await collection().sign(payload, kid: JWKIdentifier(string: keyID)), expiresAt)
    }

    /// The claims of a valid token.
    /// - Throws: `APIError` 401 `token_expired` or `invalid_token`.
    public func claims(fromToken token: String) async throws(APIError) -> AccessToken {
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
        return payload
    }

    /// The claims of a token this authority signed, checked synchronously (no actor hop, for the
    /// moderator's consumer thread): the structure, the EdDSA signature with this key (and the key
    /// id when the token names one), the issuer and a subject. NOT the expiry: the caller compares
    /// `exp` with its clock on every use, which lets it cache the result per token.
    /// - Throws: `APIError` 401 `invalid_token`, its message saying what is wrong.
    public nonisolated func signedClaims(ofToken token: String) throws(APIError) -> AccessToken {
        func invalid(_ why: String) -> APIError { .unauthorized("invalid_token", why) }
        let parser = DefaultJWTParser()
        let bytes = Array(token.utf8)
        let parsed: (header: JWTHeader, payload: AccessToken, signature: Data)
        let signingInput: ArraySlice<UInt8>
        do {
            let parts = try parser.getTokenParts(bytes)
            signingInput = bytes[..<parts.signature.startIndex].dropLast()  // header '.' payload
            parsed = try parser.parse(bytes, as: AccessToken.self)
        } catch {
            throw invalid("malformed token")
        }
        guard parsed.header.alg == "EdDSA" else { throw invalid("not an EdDSA token") }
        if let kid = parsed.header.kid, kid != keyID { throw invalid("signed with another key") }
        guard privateKey.publicKey.isValidSignature(parsed.signature, for: signingInput) else {
            throw invalid("bad signature")
        }
        guard parsed.payload.iss.value == AccessToken.issuer else { throw invalid("wrong issuer") }
        guard !parsed.payload.sub.value.isEmpty else { throw invalid("no subject") }
        return parsed.payload
    }

    /// The user name in a valid token.
    /// - Throws: `APIError` 401 `token_expired` or `invalid_token`.
    public func user(fromToken token: String) async throws(APIError) -> String {
        try await claims(fromToken: token).sub.value
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
