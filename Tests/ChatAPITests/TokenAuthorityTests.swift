import ChatAPI
import Foundation
import Testing

/// `signedClaims(ofToken:)`, the synchronous check the moderator uses for author tokens: it must
/// accept exactly the tokens the async `claims(fromToken:)` (jwt-kit) accepts, expiry aside.
@Suite("Token authority, synchronous check")
struct TokenAuthorityTests {
    let authority = TokenAuthority(secret: Array(APIHarness.secret.utf8), lifetime: .seconds(60))

    @Test func acceptsItsOwnTokensWithTheirClaimsExpiredOrNot() async throws {
        let now = Date()
        let (token, expiresAt) = try await authority.issue(for: "alice", roles: [.user, .admin], now: now)
        let claims = try authority.signedClaims(ofToken: token)
        #expect(claims.sub.value == "alice" && claims.roles == [.user, .admin])
        #expect(abs(claims.exp.value.timeIntervalSince(expiresAt)) < 1)
        #expect(try await authority.claims(fromToken: token) == claims, "the same answer as jwt-kit's")

        let expired = try await authority.issue(for: "alice", now: now.addingTimeInterval(-3600)).token
        #expect(try authority.signedClaims(ofToken: expired).exp.value < now, "expiry is the caller's to check")
    }

    @Test func refusesWhatJWTKitRefusesForAnythingButExpiry() async throws {
        let good = try await authority.issue(for: "alice").token
        let parts = good.split(separator: ".").map(String.init)
        let foreign = try await TokenAuthority(secret: Array("another-secret-that-is-long-enough!!".utf8), lifetime: .seconds(60))
            .issue(for: "alice").token
        let forgedPayload = Data(#"{"sub":"bob","iss":"kchat","exp":9999999999,"iat":1,"roles":["user"]}"#.utf8)
            .base64URLEncodedString()
        let noneHeader = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URLEncodedString()
        let cases = [
            "\(parts[0]).\(forgedPayload).\(parts[2])",  // another payload, the old signature
            "\(noneHeader).\(forgedPayload).",
            "\(noneHeader).\(parts[1]).\(parts[2])",
            foreign,
            "not.a.jwt", "", "a.b", "\(good).x", String(good.dropLast(2)),
        ]
        for token in cases {
            #expect(throws: APIError.self, "\(token)") { try authority.signedClaims(ofToken: token) }
            await #expect(throws: APIError.self, "\(token)") { try await authority.claims(fromToken: token) }
        }
    }
}
