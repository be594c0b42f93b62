import ChatKafka
import EmbeddedBroker
import Foundation
import Logging
import Moderation

/// The one-process hub: embedded broker + moderator. `run()` returns when the task is cancelled
/// (SIGTERM in `kchat serve`), after stopping each part.
public struct Hub: Sendable {
    public let configuration: HubConfiguration
    public let logger: Logger

    public init(configuration: HubConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let broker: KafkaBroker? = configuration.externalBrokers == nil
            ? try await KafkaBroker.start(configuration.broker, logger: logger) : nil
        try "\(getpid())\n".write(toFile: configuration.pidFile, atomically: true, encoding: .utf8)
        logger.info("hub up: brokers \(configuration.brokers), data \(configuration.dataDirectory)")
        defer { try? FileManager.default.removeItem(atPath: configuration.pidFile) }
        let moderator = ModeratorService(configuration: configuration.kafka, logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await moderator.run() }
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
        } catch {
            logger.error("hub stopping: \(error)")
            try? await broker?.shutdown()
            throw error
        }
        try? await broker?.shutdown()
        logger.info("hub stopped")
    }
}
