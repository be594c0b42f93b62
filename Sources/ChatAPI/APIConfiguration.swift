import Foundation
import Logging
import Prometheus

/// Settings of the REST API. The JWT secret is required and checked here, so a server can
/// not start with a missing or weak one.
public struct APIConfiguration: Sendable {
    public static let minimumSecretBytes = 32

    public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
        case missingSecret(variable: String)
        case secretTooShort(bytes: Int)
        case invalidValue(name: String, value: String)

        public var description: String {
            switch self {
            case .missingSecret(let variable):
                return "JWT secret missing: set \(variable) (at least \(APIConfiguration.minimumSecretBytes) bytes)"
            case .secretTooShort(let bytes):
                return "JWT secret is \(bytes) bytes, at least \(APIConfiguration.minimumSecretBytes) are required"
            case .invalidValue(let name, let value):
                return "invalid \(name): '\(value)'"
            }
        }
    }

    /// The secret the access tokens' Ed25519 signing key is derived from (at least 32 bytes).
    public let jwtSecret: [UInt8]
    public var host: String
    public var port: Int
    /// How long a login token is valid.
    public var tokenLifetime: Duration
    /// bcrypt cost for new passwords (4...31; 12 by default, tests use 4).
    public var bcryptCost: UInt8
    /// Largest accepted request body (the JSON around a 4 KiB message fits easily).
    public var maxBodyBytes: Int
    /// When true, every `GET /v1/...` needs a token too (direct channels always do).
    public var requireAuthForReads: Bool
    /// Users who may delete any channel (others only the channels they created).
    public var admins: Set<String>
    /// Login and registration attempts per client address: this many at once, then one more
    /// every `authAttemptInterval` (429 `too_many_attempts` with Retry-After past that).
    public var authAttemptBurst: Int = 20
    public var authAttemptInterval: Duration = .seconds(3)
    /// Where `/metrics` reads from; bootstrap swift-metrics with
    /// `PrometheusMetricsFactory(registry:)` on the same registry to export other metrics too.
    public var metrics: PrometheusCollectorRegistry
    public var logger: Logger

    public init(jwtSecret: String, host: String = "127.0.0.1", port: Int = 8080,
                tokenLifetime: Duration = .seconds(24 * 3600), bcryptCost: UInt8 = 12,
                maxBodyBytes: Int = 64 * 1024, requireAuthForReads: Bool = false, admins: Set<String> = [],
                metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
                logger: Logger = Logger(label: "kchat.api")) throws(ConfigurationError) {
        let secret = Array(jwtSecret.utf8)
        guard secret.count >= Self.minimumSecretBytes else { throw .secretTooShort(bytes: secret.count) }
        guard (4...31).contains(bcryptCost) else { throw .invalidValue(name: "bcrypt cost", value: "\(bcryptCost)") }
        guard maxBodyBytes >= 8 * 1024 else { throw .invalidValue(name: "max body bytes", value: "\(maxBodyBytes)") }
        self.jwtSecret = secret
        self.host = host
        self.port = port
        self.tokenLifetime = tokenLifetime
        self.bcryptCost = bcryptCost
        self.maxBodyBytes = maxBodyBytes
        self.requireAuthForReads = requireAuthForReads
        self.admins = admins
        self.metrics = metrics
        self.logger = logger
    }

    /// From the environment: `KCHAT_JWT_SECRET` (required), `KCHAT_HTTP` (`HOST:PORT`,
    /// default 127.0.0.1:8080), `KCHAT_ADMINS` (comma separated).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> APIConfiguration {
        guard let secret = environment["KCHAT_JWT_SECRET"], !secret.isEmpty else {
            throw .missingSecret(variable: "KCHAT_JWT_SECRET")
        }
        var config = try APIConfiguration(jwtSecret: secret)
        if let listen = environment["KCHAT_HTTP"], !listen.isEmpty {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),  // safe: failable parse of text
                  (0...65535).contains(port) else {
                throw .invalidValue(name: "KCHAT_HTTP", value: listen)
            }
            let host = String(listen[..<colon])
            config.host = host.isEmpty ? "127.0.0.1" : host
            config.port = port
        }
        if let admins = environment["KCHAT_ADMINS"] {
            config.admins = Set(admins.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
        }
        return config
    }
}
