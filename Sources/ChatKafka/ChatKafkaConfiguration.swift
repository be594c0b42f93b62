import ChatModel
import Foundation
import KafkaClient

/// Where kchat's Kafka is and how its topics are named.
public struct ChatKafkaConfiguration: Sendable {
    /// `host:port,host:port`.
    public var brokers: String
    public var topics: TopicNames
    /// librdkafka properties passed through (`-X key=value`).
    public var properties: [String: String]
    public var clientID: String
    /// Partitions for the chat topics when kchat creates them.
    public var partitions: Int
    /// How long a produce may wait for the broker before it is reported failed.
    public var messageTimeout: Duration
    /// The user's access token (from the hub's API): it authenticates every connection with
    /// SASL/OAUTHBEARER and signs authorship (the `kchat-token` header of each message sent).
    /// Nil: no authentication. Explicit `-X security.protocol`/`sasl.*` settings win over it for
    /// the connection (e.g. SASL/PLAIN against a real cluster); the header is still sent.
    public var token: OAuthBearerTokenProvider?

    public init(brokers: String, topics: TopicNames = TopicNames(), properties: [String: String] = [:],
                clientID: String = "kchat", partitions: Int = 3, messageTimeout: Duration = .seconds(10)) {
        self.brokers = brokers
        self.topics = topics
        self.properties = properties
        self.clientID = clientID
        self.partitions = partitions
        self.messageTimeout = messageTimeout
    }

    /// `--brokers`, else `$KCHAT_BROKERS`, else localhost:9092. The flag says whether it was configured.
    public static func resolveBrokers(_ option: String?) -> (brokers: String, configured: Bool) {
        if let option, !option.isEmpty { return (option, true) }
        if let env = ProcessInfo.processInfo.environment["KCHAT_BROKERS"], !env.isEmpty { return (env, true) }
        return ("localhost:9092", false)
    }

    /// The headers of every record this client produces: `kchat-token` with the user's token
    /// (signed authorship, checked by the moderator); none without a token.
    /// - Throws: the token provider's error (no token to sign with).
    public func recordHeaders() throws -> [KafkaHeader] {
        guard let token else { return [] }
        return [KafkaHeader(key: ChatMessage.tokenHeader, string: try token().token)]
    }

    public func kafkaConfiguration(clientSuffix: String? = nil) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(brokers: brokers, clientID: clientSuffix.map { "\(clientID)-\($0)" } ?? clientID)
        configuration.messageTimeout = messageTimeout
        // kchat's group consumers commit what they have finished with (the moderator once a
        // batch's outputs are acknowledged); librdkafka's auto-commit would also commit what was
        // only handed out, on a timer and on close, and a stop or crash would lose it.
        configuration.enableAutoCommit = false
        configuration.extraProperties = properties
        if let token, !properties.keys.contains(where: { $0 == "security.protocol" || $0.hasPrefix("sasl.") }) {
            configuration.oauthBearerToken = token
        }
        return configuration
    }
}
