import Logging
import ServiceLifecycle

/// A named part of the hub. By default its `body` runs until cancelled, and a graceful shutdown
/// cancels it; a `body` that follows graceful shutdown itself passes `followsGracefulShutdown`.
struct PartService: Service, CustomStringConvertible {
    let description: String
    let logger: Logger
    let followsGracefulShutdown: Bool
    let body: @Sendable () async throws -> Void

    init(_ name: String, logger: Logger, followsGracefulShutdown: Bool = false,
         body: @escaping @Sendable () async throws -> Void) {
        self.description = name
        self.logger = logger
        self.followsGracefulShutdown = followsGracefulShutdown
        self.body = body
    }

    func run() async throws {
        do {
            if followsGracefulShutdown {
                try await body()
            } else {
                try await cancelWhenGracefulShutdown { try await body() }
            }
        } catch is CancellationError {
            // Asked to stop.
        }
        logger.info("\(description) stopped")
    }
}
