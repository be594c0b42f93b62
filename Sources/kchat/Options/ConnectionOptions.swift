import ArgumentParser
import ChatKafka
import ChatModel
import KafkaClient

/// `--brokers`, `-X key=value` and `--topic-prefix`, shared by every command that talks to Kafka.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers, HOST:PORT[,HOST:PORT] (default: $KCHAT_BROKERS, else localhost:9092).")
    var brokers: String?

    @Option(name: .customShort("X"), help: ArgumentHelp("librdkafka setting key=value (repeatable), as in kcat.", valueName: "key=value"))
    var settings: [String] = []

    @Option(help: "Prefix of the topic names (prefix, prefix_controlled, prefix_control, prefix_dlq, prefix_channels).")
    var topicPrefix: String = TopicNames.defaultPrefix

    func configuration(clientID: String = "kchat") throws -> ChatKafkaConfiguration {
        ChatKafkaConfiguration(brokers: ChatKafkaConfiguration.resolveBrokers(brokers).brokers,
                               topics: TopicNames(prefix: topicPrefix), properties: try Self.librdkafkaSettings(settings),
                               clientID: clientID)
    }

    /// `-X key=value` arguments as librdkafka properties.
    static func librdkafkaSettings(_ settings: [String]) throws -> [String: String] {
        var properties: [String: String] = [:]
        for setting in settings {
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ValidationError("-X expects key=value, got '\(setting)'")
            }
            properties[String(setting[..<equals])] = String(setting[setting.index(after: equals)...])
        }
        return properties
    }
}
