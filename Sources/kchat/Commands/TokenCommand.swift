import ArgumentParser
import ChatAPI
import ChatHub
import Foundation

/// Mints an access token with the JWT secret ($KCHAT_JWT_SECRET or the data directory's), for
/// tests and operators: whoever can run this already holds the secret that signs every token.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print an access token signed with the hub's JWT secret, or its public keys (tests, operators).",
        shouldDisplay: false)

    @Option(help: "The token's subject (user name).")
    var user: String?

    @Option(help: ArgumentHelp("A role: user, admin, service (repeatable; default user).", valueName: "role"))
    var role: [String] = []

    @Option(help: "Lifetime in seconds.")
    var lifetime: Int = 3600

    @Option(help: "Issue it this many seconds in the past (an already expired token when larger than the lifetime).")
    var backdate: Int = 0

    @Option(help: "Data directory (for the generated JWT secret when $KCHAT_JWT_SECRET is not set).")
    var data: String = DataDirectory.default

    @Flag(help: "Print the public key set (JWKS) instead of a token: for a Kafka cluster's OIDC validator (file: URL).")
    var jwks = false

    func validate() throws {
        if !jwks, user == nil { throw ValidationError("--user is required (or --jwks)") }
    }

    func run() async throws {
        let roles = try (role.isEmpty ? ["user"] : role).map { name in
            guard let role = AccessToken.Role(rawValue: name) else { throw ValidationError("unknown role '\(name)'") }
            return role
        }
        let secret = try APIConfiguration(jwtSecret: try JWTSecret.resolve(file: "\(data)/jwt.secret")).jwtSecret
        let authority = TokenAuthority(secret: secret, lifetime: .seconds(lifetime))
        if jwks {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(authority.jwks()), as: UTF8.self))
            return
        }
        guard let user else { throw ValidationError("--user is required") }
        let (token, _) = try await authority.issue(for: user, roles: roles, now: Date().addingTimeInterval(-Double(backdate)))
        print(token)
    }
}
