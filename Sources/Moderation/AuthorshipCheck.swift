import ChatModel
import Foundation

/// What the moderator's I/O shell found out about a chat record's author token: the input of
/// ``ModerationEngine``'s authorship decision (the engine itself verifies nothing).
public enum AuthorshipCheck: Sendable, Equatable {
    /// No `kchat-token` header.
    case unsigned
    /// The header's token, verified (or refused) by an ``AuthorVerifier``.
    case token(Result<AuthorClaims, AuthorVerifier.Failure>)

    /// Why a message that says `author` may not be delivered at `now`; nil when the token is
    /// valid, unexpired and names `author` (every role alike: admins and services too).
    public func rejection(author: String, now: Date) -> String? {
        switch self {
        case .unsigned:
            return "unsigned message (no \(ChatMessage.tokenHeader) header)"
        case .token(.failure(let failure)):
            return "invalid token: \(failure.reason)"
        case .token(.success(let claims)):
            if claims.expiresAt <= now { return "token expired" }
            if claims.subject != author { return "token names \(claims.subject), message says \(author)" }
            return nil
        }
    }
}
