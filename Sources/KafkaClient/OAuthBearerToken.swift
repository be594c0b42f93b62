#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A bearer token for SASL/OAUTHBEARER, as a ``KafkaConfiguration/oauthBearerToken`` provider
/// hands it to librdkafka: the token (e.g. a JWT), when it expires, and whose it is.
public struct OAuthBearerToken: Sendable, Equatable {
    public var token: String
    public var expiresAt: Date
    /// The principal the token names (librdkafka logs it; the broker reads its own from the token).
    public var principal: String

    public init(token: String, expiresAt: Date, principal: String) {
        self.token = token
        self.expiresAt = expiresAt
        self.principal = principal
    }

    /// Milliseconds since the epoch, as librdkafka wants the lifetime (never traps).
    var expiresAtMilliseconds: Int64 {
        let ms = (expiresAt.timeIntervalSince1970 * 1000).rounded()
        guard ms.isFinite else { return ms > 0 ? Int64.max : 0 }
        return ms >= 9.2e18 ? Int64.max : ms <= 0 ? 0 : Int64(ms)  // safe: bounded to 0..<9.2e18 above
    }
}

/// Called by librdkafka (on its background thread) whenever it needs a token: at start and
/// when the current one nears its expiry. Throwing tells librdkafka the refresh failed; it
/// asks again later.
public typealias OAuthBearerTokenProvider = @Sendable () throws -> OAuthBearerToken
