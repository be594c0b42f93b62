import EmbeddedBroker
import Logging
import ServiceLifecycle

/// The embedded broker as a service: already listening when the group starts (the other parts
/// connect to it), shut down when the group shuts down, after the parts started later.
struct BrokerService: Service {
    let broker: KafkaBroker
    let logger: Logger

    func run() async throws {
        // Cancelled (rather than shut down gracefully) ends the wait too; the broker stops either way.
        try? await gracefulShutdown()
        logger.info("stopping the broker")
        try await broker.shutdown()
    }
}

/// A part whose `run` ends when its task is cancelled: a graceful shutdown cancels it.
struct PartService: Service, CustomStringConvertible {
    let description: String
    let logger: Logger
    let body: @Sendable () async throws -> Void

    init(_ name: String, logger: Logger, body: @escaping @Sendable () async throws -> Void) {
        self.description = name
        self.logger = logger
        self.body = body
    }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await body() }
        } catch is CancellationError {
            // Asked to stop.
        }
        logger.info("\(description) stopped")
    }
}
