/// Parsing of the client messages of the two SASL mechanisms the broker speaks. Hostile input
/// gives `nil` (then the broker answers SASL_AUTHENTICATION_FAILED), never a trap.
public enum SaslMechanism: String, Sendable, Hashable, CaseIterable {
    case plain = "PLAIN"
    case oauthBearer = "OAUTHBEARER"
}

public enum SaslMessages {
    /// Longest PLAIN message accepted (authzid, user, password and two NULs).
    public static let maxPlainBytes = 8 * 1_024
    /// Longest user name in a PLAIN message.
    public static let maxPlainFieldBytes = 255
    /// Longest password in a PLAIN message: an access token may stand for the password (a
    /// kchat token is about 300 bytes; account passwords are at most 72).
    public static let maxPlainPasswordBytes = 4 * 1_024
    /// Longest OAUTHBEARER client message (a kchat token is about 300 bytes).
    public static let maxBearerMessageBytes = 16 * 1024

    /// RFC 4616: `[authzid] NUL authcid NUL passwd`, UTF-8. An authzid, when given, must equal
    /// the user (no acting as someone else). nil: malformed, too long, empty user or password.
    public static func parsePlain(_ bytes: [UInt8]) -> (user: String, password: String)? {
        guard bytes.count <= maxPlainBytes else { return nil }
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        guard let authzid = String(validating: parts[0], as: UTF8.self),
              let user = String(validating: parts[1], as: UTF8.self),
              let password = String(validating: parts[2], as: UTF8.self) else { return nil }
        guard !user.isEmpty, !password.isEmpty, parts[1].count <= maxPlainFieldBytes,
              parts[2].count <= maxPlainPasswordBytes, !password.utf8.contains(0) else { return nil }
        guard authzid.isEmpty || authzid == user else { return nil }
        return (user, password)
    }

    /// RFC 7628 client first message: `gs2-header \x01 (key=value \x01)* \x01`, where the gs2
    /// header is `n,,` or `n,a=authzid,` and one of the pairs is `auth=Bearer <token>`. Returns
    /// the token; nil when malformed or too long.
    public static func parseOAuthBearer(_ bytes: [UInt8]) -> String? {
        guard bytes.count <= maxBearerMessageBytes, let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let parts = text.split(separator: "\u{1}", omittingEmptySubsequences: false)
        // gs2 header, at least one pair, then the two empty strings of the closing \x01\x01.
        guard parts.count >= 4, parts[parts.count - 1].isEmpty, parts[parts.count - 2].isEmpty else { return nil }
        let gs2 = parts[0]
        guard gs2.hasPrefix("n,"), gs2.hasSuffix(","), gs2.filter({ $0 == "," }).count == 2 else { return nil }
        var token: String?
        for pair in parts[1..<(parts.count - 2)] {
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            let key = pair[..<equals]
            let value = pair[pair.index(after: equals)...]
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
            if key == "auth" {
                guard token == nil else { return nil }
                let scheme = "Bearer "
                guard value.count > scheme.count, value.prefix(scheme.count).lowercased() == scheme.lowercased() else { return nil }
                let candidate = value.dropFirst(scheme.count)
                // A JWT is base64url parts and dots; anything else is refused before verification.
                guard candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.=+/~".contains($0)) }) else {
                    return nil
                }
                token = String(candidate)
            }
        }
        return token
    }

    /// RFC 7628 section 3.2.2: the server's error challenge, sent (with no Kafka error) before the
    /// final failure; the client answers with a single \x01.
    public static let oauthBearerErrorChallenge = Array(#"{"status":"invalid_token"}"#.utf8)
}
