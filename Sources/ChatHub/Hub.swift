import ChatAPI
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
        var api: APIConfiguration?
        if let host = configuration.httpHost {
            api = try APIConfiguration(jwtSecret: try JWTSecret.resolve(file: configuration.secretFile), host: host,
                                       port: configuration.httpPort, logger: logger)
        }
        let store = StoreService(kafka: configuration.kafka, database: configuration.databaseSpec, api: api, logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await moderator.run() }
                group.addTask { [logger] in
                    // The chat keeps working without the store/API (e.g. the HTTP port is taken).
                    do {
                        try await store.run()
                    } catch is CancellationError {
                    } catch {
                        logger.error("store/REST API stopped: \(error); broker and moderator keep running")
                        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
                    }
                }
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
