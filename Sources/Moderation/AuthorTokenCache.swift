import ChatModel
import KafkaClient

/// Verification results per token string, so the moderator verifies each distinct token once
/// (a signature check) rather than once per message. Bounded: when `capacity` distinct tokens
/// are cached it starts over empty (tokens live a day, users keep one at a time, so the working
/// set refills at once). Refusals are cached too. Expiry is not cached: ``AuthorshipCheck``
/// compares it with the moderation time on every use.
public struct AuthorTokenCache: Sendable {
    public static let defaultCapacity = 10_000
    /// Longer header values are refused without verifying or caching them (a token is ~300 bytes).
    public static let maxTokenBytes = 4096

    public let verifier: AuthorVerifier
    public let capacity: Int
    private var entries: [String: Result<AuthorClaims, AuthorVerifier.Failure>] = [:]
    /// Lookups answered from the cache, and verifications (misses).
    public private(set) var hits = 0
    public private(set) var verifications = 0

    public init(verifier: AuthorVerifier, capacity: Int = AuthorTokenCache.defaultCapacity) {
        self.verifier = verifier
        self.capacity = max(1, capacity)
    }

    public var count: Int { entries.count }

    /// The check of a record's `kchat-token` header: unsigned without one; refused when there are
    /// several (which would the client have meant?) or it is not UTF-8 or too long.
    public mutating func check(headers: [KafkaHeader]) -> AuthorshipCheck {
        var found: [UInt8]?
        for header in headers where header.key == ChatMessage.tokenHeader {
            guard found == nil else { return .token(.failure(.init(reason: "several \(ChatMessage.tokenHeader) headers"))) }
            found = header.value ?? []
        }
        guard let found, !found.isEmpty else { return .unsigned }
        guard found.count <= Self.maxTokenBytes else {
            return .token(.failure(.init(reason: "token longer than \(Self.maxTokenBytes) bytes")))
        }
        guard let token = String(validating: found, as: UTF8.self) else {
            return .token(.failure(.init(reason: "token is not UTF-8")))
        }
        return check(token: token)
    }

    /// The (cached) verification of `token`.
    public mutating func check(token: String) -> AuthorshipCheck {
        if let cached = entries[token] {
            hits += 1
            return .token(cached)
        }
        verifications += 1
        let result = verifier.claims(ofToken: token)
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[token] = result
        return .token(result)
    }
}
