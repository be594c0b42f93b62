import ServiceLifecycle

/// The broker in a `ServiceGroup` (`kchat broker`, the hub): it is already listening when the
/// group starts (`KafkaBroker.start`), so the services after it can connect, and it is shut down
/// when the group shuts down gracefully (last, being first in the group), when the task is
/// cancelled, or when its listening socket closes on its own.
extension KafkaBroker: Service {
    public func run() async throws {
        // The wait on the listening socket is not cancellable: both ways out close the socket.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await waitUntilClosed()
            } onGracefulShutdown: {
                self.closeListener()
            }
        } onCancel: {
            self.closeListener()
        }
        logger.info("stopping the broker")
        try await shutdown()
    }
}
