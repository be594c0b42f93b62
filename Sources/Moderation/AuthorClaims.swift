import Foundation

/// What a valid author token says: whose it is and until when. Expiry is not part of validity:
/// it is compared with the moderation time on every use, so a cached token that has expired
/// since it was verified is refused.
public struct AuthorClaims: Sendable, Equatable {
    /// The user the token was issued to.
    public var subject: String
    public var expiresAt: Date

    public init(subject: String, expiresAt: Date) {
        self.subject = subject
        self.expiresAt = expiresAt
    }
}
