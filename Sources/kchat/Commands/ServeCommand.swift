import ArgumentParser
import ChatHub
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the hub in the foreground: embedded broker (unless --brokers names a cluster) and moderator.")

    @OptionGroup var hub: HubOptions

    @Option(help: "Log level.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        var logger = Logger(label: "kchat.hub")
        logger.logLevel = logLevel
        let configuration = try hub.configuration()
        if let pid = HubProcess.runningPID(configuration) {
            throw CommandFailure("a hub is already running (pid \(pid)) for \(configuration.dataDirectory)")
        }
        let running = Hub(configuration: configuration, logger: logger)
        try await runUntilSignalled { try await running.run() }
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

    func configuration() throws -> HubConfiguration {
        var configuration = HubConfiguration(dataDirectory: data)
        (configuration.listenHost, configuration.listenPort) = try HostPort.parse(listen, defaultPort: 9092)
        configuration.externalBrokers = brokers
        configuration.partitions = partitions
        for setting in settings {
            guard let equals = setting.firstIndex(of: "=") else { throw ValidationError("-X expects key=value") }
            configuration.kafkaProperties[String(setting[..<equals])] = String(setting[setting.index(after: equals)...])
        }
        return configuration
    }
}
