import ArgumentParser
import ChatAPI
import ChatApp
import ChatHub
import Foundation
import Logging
import ServiceLifecycle

extension HubConfiguration.Auth: ExpressibleByArgument {}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the hub in the foreground: embedded broker (unless --brokers names a cluster), moderator, store writer and REST API.")

    @OptionGroup var hub: HubOptions

    @OptionGroup(title: "Embedded broker limits") var limits: BrokerLimitOptions

    @Option(help: "Log level.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if hub.partitions > limits.maxPartitions {
            throw ValidationError("--partitions \(hub.partitions) exceeds --max-partitions \(limits.maxPartitions)")
        }
    }

    func run() async throws {
        var configuration = try hub.configuration()
        let limits = limits
        configuration.tuneBroker = { limits.apply(to: &$0) }
        try PrivateDirectory.prepare(configuration.dataDirectory)
        // Always to <data>/hub.log; also to the terminal when there is one.
        let logFile = configuration.logFile
        let interactive = isatty(STDOUT_FILENO) != 0
        var logger = Logger(label: "kchat.hub") { label in
            let file = FileLogHandler(label: label, path: logFile)
            return interactive ? MultiplexLogHandler([StreamLogHandler.standardOutput(label: label), file]) : file
        }
        logger.logLevel = logLevel
        if let pid = HubProcess.runningPID(configuration) {
            throw CommandFailure("a hub is already running (pid \(pid)) for \(configuration.dataDirectory)")
        }
        // The hub's ServiceGroup handles SIGTERM/SIGINT itself (graceful shutdown, in order).
        try await Hub(configuration: configuration, logger: logger).run()
    }
}

struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the background hub.")

    @Option(help: "Data directory of the hub.")
    var data: String = DataDirectory.default

    func run() throws {
        let configuration = HubConfiguration(dataDirectory: data)
        guard try HubProcess.stop(configuration) else {
            throw CommandFailure("no hub is running for \(data)")
        }
        print("hub stopped")
    }
}

/// Options that describe a hub: where its data and broker are.
struct HubOptions: ParsableArguments {
    @Option(help: "Data directory (broker data, hub.log, hub.pid).")
    var data: String = DataDirectory.default

    @Option(help: "Where the embedded broker listens, HOST:PORT.")
    var listen: String = "127.0.0.1:9092"

    @Option(help: "Use this Kafka cluster instead of the embedded broker.")
    var brokers: String?

    @Option(name: .customShort("X"), help: ArgumentHelp("librdkafka setting key=value (repeatable).", valueName: "key=value"))
    var settings: [String] = []

    @Option(help: "Partitions of the chat topics.")
    var partitions: Int = 3

    @Option(help: "Database: sqlite:PATH (default: kchat.sqlite in the data directory) or postgres://user:pass@host:port/db.")
    var db: String?

    @Option(help: "Where the REST API listens, HOST:PORT, or 'off'.")
    var http: String = "127.0.0.1:8080"

    @Flag(help: "Do not fsync the embedded broker's log before acknowledging acks=all (faster, less durable).")
    var noFsync = false

    @Option(help: ArgumentHelp("""
        Kafka authentication in the embedded broker (default: sasl): 'sasl' (SASL/PLAIN with a registered user's password or \
        SASL/OAUTHBEARER with a token from POST /v1/login, and kchat's ACLs: see 'kchat acls'; the moderator \
        delivers only messages signed by their author's token) or 'none' (every client may do everything, \
        for protocol tests).
        """, valueName: "sasl|none"))
    var auth: HubConfiguration.Auth?

    @Option(help: ArgumentHelp("A user with the admin role, in the API and the broker (repeatable).", valueName: "name"))
    var admin: [String] = []

    func configuration() throws -> HubConfiguration {
        var configuration = HubConfiguration(dataDirectory: data)
        (configuration.listenHost, configuration.listenPort) = try HostPort.parse(listen, defaultPort: 9092)
        configuration.externalBrokers = brokers
        configuration.partitions = partitions
        configuration.database = db
        configuration.fsync = !noFsync
        // With an external cluster its own security applies (-X); the embedded broker defaults to SASL.
        configuration.auth = auth ?? (brokers == nil ? .sasl : .none)
        configuration.admins = Set(admin)
        if auth == .sasl, brokers != nil {
            throw ValidationError("--auth sasl applies to the embedded broker; configure an external cluster's security with -X")
        }
        if http == "off" {
            configuration.httpHost = nil
        } else {
            (configuration.httpHost, configuration.httpPort) = try HostPort.parse(http, defaultPort: 8080)
        }
        configuration.kafkaProperties = try ConnectionOptions.librdkafkaSettings(settings)
        return configuration
    }
}

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

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Print chat statistics (from the REST API).")

    @Option(help: "The hub's REST API.")
    var api: String = "http://127.0.0.1:8080"

    func run() async throws {
        do {
            for line in try await APIClient(baseURL: api).stats().textLines { print(line) }
        } catch {
            throw CommandFailure("stats: \(error)")
        }
    }
}
