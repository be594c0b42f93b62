import ArgumentParser
import ChatHub
import ChatModel
import EmbeddedBroker
import Foundation
import Logging
import ServiceLifecycle

struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run the embedded Kafka-compatible broker in the foreground."
    )

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen: String = "127.0.0.1:9092"

    @Option(help: "Data directory for topics and committed offsets.")
    var data: String = DataDirectory.default

    @Option(help: "HOST:PORT advertised to clients (default: the listen address).")
    var advertised: String?

    @Option(help: "Partitions of auto-created topics.")
    var partitions: Int = 3

    @Flag(help: "Do not fsync before acknowledging acks=all produces (faster, less durable).")
    var noFsync = false

    @OptionGroup(title: "Limits") var limits: BrokerLimitOptions

    @Option(help: ArgumentHelp("""
        Authentication: 'none' (protocol tests, single-user setups) or 'sasl': SASL with tokens signed by \
        the hub's JWT secret ($KCHAT_JWT_SECRET, else <data>/jwt.secret), by OAUTHBEARER or as the PLAIN \
        password, and kchat's ACLs ('kchat acls'); a stand-in for a secured cluster. 'kchat serve' also \
        takes account passwords.
        """, valueName: "none|sasl"))
    var auth: HubConfiguration.Auth = .none

    @Option(help: ArgumentHelp("With --auth sasl: a user with the admin role (repeatable).", valueName: "name"))
    var admin: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if partitions > limits.maxPartitions {
            throw ValidationError("--partitions \(partitions) exceeds --max-partitions \(limits.maxPartitions)")
        }
    }

    func run() async throws {
        let (host, port) = try HostPort.parse(listen, defaultPort: 9092)
        var configuration = BrokerConfiguration(host: host, port: port, dataDirectory: data)
        if let advertised {
            let (advertisedHost, advertisedPort) = try HostPort.parse(advertised, defaultPort: port)
            configuration.advertisedHost = advertisedHost
            configuration.advertisedPort = advertisedPort
        }
        configuration.defaultPartitions = partitions
        configuration.fsync = !noFsync
        limits.apply(to: &configuration)
        if auth == .sasl {
            try PrivateDirectory.prepare(data)
            let secret = try JWTSecret.resolve(file: "\(data)/jwt.secret")
            configuration.authenticator = try HubBrokerAuthenticator.tokensOnly(jwtSecret: secret, admins: Set(admin))
            configuration.authorizer = KChatAcls()
        }
        var logger = Logger(label: "kchat.broker")
        logger.logLevel = logLevel
        let broker = try await KafkaBroker.start(configuration, logger: logger)
        try await ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [broker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}
