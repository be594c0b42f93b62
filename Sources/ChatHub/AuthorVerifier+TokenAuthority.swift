import ChatAPI
import Moderation

extension AuthorVerifier {
    /// Author tokens checked with `authority`'s key: the tokens `POST /v1/login` issues.
    public static func tokens(of authority: TokenAuthority) -> AuthorVerifier {
        AuthorVerifier { token in
            do throws(APIError) {
                let claims = try authority.signedClaims(ofToken: token)
                return .success(AuthorClaims(subject: claims.sub.value, expiresAt: claims.exp.value))
            } catch {
                return .failure(Failure(reason: error.message))
            }
        }
    }

    /// Author tokens signed with the key derived from the hub's JWT secret (the same key as the
    /// API's, whatever process checks them).
    /// - Throws: when the secret is unusable (too short), as the API would.
    public static func tokens(secret: String) throws -> AuthorVerifier {
        let api = try APIConfiguration(jwtSecret: secret)
        return tokens(of: TokenAuthority(secret: api.jwtSecret, lifetime: api.tokenLifetime))
    }
}
