import ChatAPI
import ChatStore
import EmbeddedBroker
import Foundation
import Logging
import Synchronization

/// Who may log in to the hub's embedded broker (`kchat serve --auth sasl`):
/// - SASL/OAUTHBEARER: an access token from `POST /v1/login`, checked with the API's key (same
///   secret); its roles give the kind (service > admin > user).
/// - SASL/PLAIN: a registered user's name and password, checked against the store's bcrypt hash
///   (admins: the names in `admins`); or a user's name and one of its tokens as the password
///   (for tools that speak only PLAIN, e.g. kcat); or the hub's own service principal, whose random password
///   lives only in this process (the hub's moderator, store writer and channel directory log in
///   with it).
public final class HubBrokerAuthenticator: BrokerAuthenticator {
    let tokens: TokenAuthority
    let passwords: PasswordHasher
    let admins: Set<String>
    let service: ServiceCredentials
    private let store = Mutex<(any ChatStore)?>(nil)

    init(tokens: TokenAuthority, passwords: PasswordHasher, admins: Set<String>, service: ServiceCredentials) {
        self.tokens = tokens
        self.passwords = passwords
        self.admins = admins
        self.service = service
    }

    /// For `kchat broker --auth sasl` (a stand-alone broker, no store): tokens signed with the
    /// hub's `jwtSecret` only, by OAUTHBEARER or as the PLAIN password; account passwords are
    /// refused (there is no store to check them against).
    public static func tokensOnly(jwtSecret: String, admins: Set<String>) throws -> any BrokerAuthenticator {
        let api = try APIConfiguration(jwtSecret: jwtSecret)
        return HubBrokerAuthenticator(tokens: TokenAuthority(secret: api.jwtSecret, lifetime: api.tokenLifetime),
                                      passwords: PasswordHasher(cost: api.bcryptCost), admins: admins,
                                      service: .random())
    }

    /// The store, once the store service has opened it (PLAIN user logins fail until then).
    func storeOpened(_ opened: any ChatStore) { store.withLock { $0 = opened } }

    public func authenticate(plain user: String, password: String) async -> Principal? {
        if user == service.user {
            return constantTimeEqual(Array(password.utf8), Array(service.password.utf8))
                ? Principal(name: user, kind: .service) : nil
        }
        // A token as the password (tools that speak only PLAIN, like kcat): it must name the user.
        if Self.looksLikeToken(password) {
            guard let principal = await authenticate(bearer: password), principal.name == user else { return nil }
            return principal
        }
        guard let store = store.withLock({ $0 }) else { return nil }
        let record = try? await store.user(named: user)
        guard (try? await passwords.verify(password, hash: record?.passwordHash)) == true else { return nil }
        return Principal(name: user, kind: admins.contains(user) ? .admin : .user)
    }

    public func authenticate(bearer token: String) async -> Principal? {
        guard let claims = try? await tokens.claims(fromToken: token) else { return nil }
        let kind: Principal.Kind = claims.roles.contains(.service) ? .service : claims.roles.contains(.admin) ? .admin : .user
        return Principal(name: claims.sub.value, kind: kind)
    }

    /// Three base64url segments (a JWS), which no password policy makes likely by accident.
    static func looksLikeToken(_ password: String) -> Bool {
        let parts = password.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && password.utf8.count > 40 && parts.allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        }
    }

    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The hub's own SASL/PLAIN principal: a fixed name and a password drawn at start, never
/// stored; the hub's librdkafka sessions get it through their properties.
public struct ServiceCredentials: Sendable, Equatable {
    /// Not a valid chat user name (user names cannot contain ':'), so no one can register it.
    public static let defaultUser = "kchat:service"

    public var user: String
    public var password: String

    public init(user: String = ServiceCredentials.defaultUser, password: String) {
        self.user = user
        self.password = password
    }

    public static func random() -> ServiceCredentials {
        var generator = SystemRandomNumberGenerator()
        return ServiceCredentials(password: (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined())
    }

    /// librdkafka properties for a session logging in as this principal.
    public var librdkafkaProperties: [String: String] {
        ["security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": "PLAIN", "sasl.username": user, "sasl.password": password]
    }
}
