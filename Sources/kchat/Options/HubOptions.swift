import ArgumentParser
import ChatHub
import Foundation

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
        for protocol tests). With --brokers (default: none) the cluster's own security applies (-X settings \
        for the hub's sessions) and 'sasl' makes the moderator require signed authorship.
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
        if http == "off" {
            configuration.httpHost = nil
        } else {
            (configuration.httpHost, configuration.httpPort) = try HostPort.parse(http, defaultPort: 8080)
        }
        configuration.kafkaProperties = try ConnectionOptions.librdkafkaSettings(settings)
        return configuration
    }
}
