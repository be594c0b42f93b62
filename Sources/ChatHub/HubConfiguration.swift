import ChatKafka
import ChatModel
import EmbeddedBroker
import Foundation

/// What `kchat serve` runs: the embedded broker (unless an external cluster is given) and the
/// moderator, with the data directory holding logs, the broker's data and the pid file.
public struct HubConfiguration: Sendable {
    public var dataDirectory: String
    /// Where the embedded broker listens.
    public var listenHost: String = "127.0.0.1"
    public var listenPort: Int = 9092
    /// An external Kafka cluster; when set no embedded broker is started.
    public var externalBrokers: String?
    public var topics = TopicNames()
    public var kafkaProperties: [String: String] = [:]
    public var partitions: Int = 3
    /// fsync the embedded broker's log before acknowledging acks=all produces.
    public var fsync = true
    /// `sqlite:PATH` or `postgres://...`; default: a SQLite file in the data directory.
    public var database: String?
    /// Where the REST API listens; `nil` disables it.
    public var httpHost: String? = "127.0.0.1"
    public var httpPort: Int = 8080
    /// Authentication and authorization in the embedded broker (`kchat serve --auth`).
    public enum Auth: String, Sendable, CaseIterable {
        /// Every client may do everything; logging in is optional (a client that does is
        /// checked). The library default, for tests; `kchat serve` defaults to `sasl`.
        case none
        /// SASL (PLAIN with a registered user's password, OAUTHBEARER with an API token) and
        /// kchat's ACLs (`KChatAcls`); the hub's services log in as `serviceCredentials`.
        case sasl
    }
    public var auth: Auth = .none
    /// Users with the admin role (API: delete any channel; broker: write the control and
    /// channel topics, read the dead letters).
    public var admins: Set<String> = []
    /// The hub's own SASL principal (drawn per process; used with `auth == .sasl`).
    public var serviceCredentials = ServiceCredentials.random()
    /// Adjusts the embedded broker's configuration (its limits) after the hub has set it up.
    public var tuneBroker: @Sendable (inout BrokerConfiguration) -> Void = { _ in }

    public init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
    }

    public var databaseSpec: String { database ?? "sqlite:\(dataDirectory)/kchat.sqlite" }
    public var secretFile: String { "\(dataDirectory)/jwt.secret" }

    public var pidFile: String { "\(dataDirectory)/hub.pid" }
    public var logFile: String { "\(dataDirectory)/hub.log" }
    /// Where a background hub's stdout/stderr go (crash reports; the log itself is `logFile`).
    public var outputFile: String { "\(dataDirectory)/hub.out" }
    public var brokerDirectory: String { "\(dataDirectory)/broker" }

    /// The brokers clients should use.
    public var brokers: String { externalBrokers ?? "\(listenHost):\(listenPort)" }

    public var kafka: ChatKafkaConfiguration {
        var properties = kafkaProperties
        if auth == .sasl, externalBrokers == nil {
            properties.merge(serviceCredentials.librdkafkaProperties) { _, service in service }
        }
        return ChatKafkaConfiguration(brokers: brokers, topics: topics, properties: properties, clientID: "kchat-hub",
                                      partitions: partitions)
    }

    var broker: BrokerConfiguration {
        var configuration = BrokerConfiguration(host: listenHost, port: listenPort, dataDirectory: brokerDirectory)
        configuration.defaultPartitions = partitions
        configuration.fsync = fsync
        tuneBroker(&configuration)
        return configuration
    }
}
