import ArgumentParser
import ChatAPI
import ChatHub
import Foundation
import Logging
import ServiceLifecycle

struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "Run the store writer and the REST API alone (against --brokers).")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Database: sqlite:PATH or postgres://user:pass@host:port/db.")
    var db: String = "sqlite:\(DataDirectory.default)/kchat.sqlite"

    @Option(help: "Where the REST API listens, HOST:PORT.")
    var http: String = "127.0.0.1:8080"

    @Option(help: "Data directory (for the generated JWT secret when $KCHAT_JWT_SECRET is not set).")
    var data: String = DataDirectory.default

    func run() async throws {
        let logger = Logger(label: "kchat.api")
        let (host, port) = try HostPort.parse(http, defaultPort: 8080)
        try PrivateDirectory.prepare(data)
        let secret = try JWTSecret.resolve(file: "\(data)/jwt.secret")
        let api = try APIConfiguration(jwtSecret: secret, host: host, port: port, logger: logger)
        let service = StoreService(kafka: try connection.configuration(clientID: "kchat-api"), database: db, api: api, logger: logger)
        // SIGTERM/SIGINT: finish the batch and the HTTP requests in flight, then exit.
        try await ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}
