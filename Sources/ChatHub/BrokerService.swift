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
