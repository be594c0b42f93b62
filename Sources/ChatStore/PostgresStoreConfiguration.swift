import Foundation
import PostgresNIO

/// Connection settings for `SQLChatStore.postgres`, usually from a URL.
public struct PostgresStoreConfiguration: Sendable {
    public var client: PostgresClient.Configuration
    /// Schema holding kchat's tables (created by `migrate()`); nil = the server's default
    /// search path (normally `public`). Letters, digits and `_` only.
    public var schema: String?
    /// How often a transaction is run when PostgreSQL ends it as a deadlock or serialization
    /// failure (1: not run again).
    public var transactionAttempts = Self.defaultTransactionAttempts
    public static let defaultTransactionAttempts = 5

    public init(client: PostgresClient.Configuration, schema: String? = nil) throws {
        if let schema { try Self.validate(schema: schema) }
        self.client = client
        self.schema = schema
    }

    /// Parses `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAMS]` (also `postgresql://`).
    ///
    /// Parameters (as libpq where they overlap):
    /// - `sslmode`: `disable`, `prefer` (default: TLS when offered, certificate not checked),
    ///   `require` (TLS, certificate not checked), `verify-ca`, `verify-full`;
    /// - `host`: a directory holding the server's unix socket (`.s.PGSQL.PORT`) instead of TCP;
    /// - `schema`: see `schema`;
    /// - `max_connections`: pool size (default 20).
    public init(url: String) throws {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql" else {
            throw ChatStoreError(.invalidConfiguration, "database URL must look like postgres://user:password@host:port/database")
        }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else {
            throw ChatStoreError(.invalidConfiguration, "database URL has no user name")
        }
        let password = components.password?.removingPercentEncoding
        let database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding
        let port = components.port ?? 5432
        var params: [String: String] = [:]
        for item in components.queryItems ?? [] { params[item.name] = item.value ?? "" }

        var client: PostgresClient.Configuration
        if let socketDirectory = params["host"], socketDirectory.hasPrefix("/") {
            client = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user,
                           password: password, database: database?.isEmpty == false ? database : nil)
        } else {
            let host = components.host?.isEmpty == false ? components.host! : "127.0.0.1"
            client = .init(host: host, port: port, username: user, password: password,
                           database: database?.isEmpty == false ? database : nil,
                           tls: try Self.tls(sslmode: params["sslmode"] ?? "prefer"))
        }
        if let raw = params["max_connections"] {
            guard let n = Int(raw), n > 0 else {  // safe: failable parse of text
                throw ChatStoreError(.invalidConfiguration, "max_connections must be a positive integer")
            }
            client.options.maximumConnections = n
        }
        try self.init(client: client, schema: params["schema"].flatMap { $0.isEmpty ? nil : $0 })
    }

    static func tls(sslmode: String) throws -> PostgresClient.Configuration.TLS {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        switch sslmode {
        case "disable": return .disable
        case "prefer", "allow": return .prefer(unchecked)
        case "require": return .require(unchecked)
        case "verify-ca":
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .noHostnameVerification
            return .require(config)
        case "verify-full": return .require(.makeClientConfiguration())
        default:
            throw ChatStoreError(.invalidConfiguration, "unknown sslmode '\(sslmode)'")
        }
    }

    static func validate(schema: String) throws {
        let ok = !schema.isEmpty && schema.utf8.count <= 63 && schema.utf8.allSatisfy {
            ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95
        } && !(schema.utf8.first! >= 48 && schema.utf8.first! <= 57)
        guard ok else {
            throw ChatStoreError(.invalidConfiguration,
                                 "schema '\(schema)' must be 1-63 characters of a-z, 0-9 and '_', not starting with a digit")
        }
    }
}
