import ChatAPI
import ChatKafka
import ChatModel
import ChatStore
import Foundation
import Hummingbird
import KafkaClient
import Logging
import ServiceLifecycle

/// The store writer (consumer group `kchat-store`: `chat_controlled` + `chat_private` (the DMs) +
/// `chat_control` into the database, offsets committed after each written batch) and the REST API on the same store.
/// A failed writer (database or Kafka error) starts again from the committed offsets; the API
/// keeps serving meanwhile.
/// A ServiceLifecycle service: on graceful shutdown the writer stops after its current batch and
/// the HTTP server finishes its requests; then the Kafka connection and the database close.
public struct StoreService: Service {
    public static let groupID = "kchat-store"

    public var kafka: ChatKafkaConfiguration
    public var database: String
    /// `nil`: no HTTP API (store writer only).
    public var api: APIConfiguration?
    public var logger: Logger
    /// The writer's waits before it starts again after a failure.
    var restartBackoff = RestartBackoff()
    /// Opens `database` (a test substitutes its own store).
    var openStore: @Sendable (Logger) throws -> (store: any ChatStore, postgres: SQLChatStore?)

    public init(kafka: ChatKafkaConfiguration, database: String, api: APIConfiguration?, logger: Logger) {
        self.kafka = kafka
        self.database = database
        self.api = api
        self.logger = logger
        self.openStore = { logger in try DatabaseSpec(database).open(logger: logger) }
    }

    public func run() async throws {
        let (store, postgres) = try openStore(logger)
        // Shut down before returning (not in a detached task), so it never outlives the hub's broker.
        let connection = try ChatConnection(kafka, logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let postgres {
                    group.addTask { await postgres.run() }
                    try await postgres.migrate()
                }
                try await connection.ensureTopics()
                try await withThrowingTaskGroup(of: Void.self) { parts in
                    parts.addTask { try await cancelWhenGracefulShutdown { try await writeStoreRestarting(store) } }
                    if let api {
                        let app = buildApplication(api, store: store, publisher: KafkaMessagePublisher(connection: connection))
                        // Its own ServiceGroup follows this service's graceful shutdown.
                        parts.addTask { try await app.runService(gracefulShutdownSignals: []) }
                        logger.info("REST API on http://\(api.host):\(api.port)")
                    }
                    // Until every part is done; the first error cancels the others.
                    while try await parts.next() != nil {}
                }
                group.cancelAll()  // the PostgreSQL client
            }
        } catch {
            await connection.shutdown()
            throw error
        }
        await connection.shutdown()
    }
}
