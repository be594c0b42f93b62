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
