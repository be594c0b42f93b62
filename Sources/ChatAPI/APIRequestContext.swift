import Hummingbird
import NIOCore

/// The API's request context: Hummingbird's basics plus the client's address (for throttling).
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text; "unknown" when the transport has none (in-memory tests).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
