import Foundation
import KafkaWire
import Logging
import NIOCore
import NIOPosix

/// The embedded single-node Kafka broker: a SwiftNIO server speaking the Kafka wire protocol
/// over durable partition logs, with a group coordinator.
public final class KafkaBroker: Sendable {
    /// The port the broker listens on (the bound one when the configuration asked for 0).
    public let port: Int
    public let configuration: BrokerConfiguration
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: Channel
    private let context: BrokerContext
    private let syncer: SyncScheduler

    private init(port: Int, configuration: BrokerConfiguration, group: MultiThreadedEventLoopGroup,
                 serverChannel: Channel, context: BrokerContext, syncer: SyncScheduler) {
        self.port = port
        self.configuration = configuration
        self.group = group
        self.serverChannel = serverChannel
        self.context = context
        self.syncer = syncer
    }

    public static func start(_ configuration: BrokerConfiguration,
                             logger: Logger = Logger(label: "kchat.broker")) async throws -> KafkaBroker {
        let threads = configuration.threads > 0 ? configuration.threads : System.coreCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let syncer = SyncScheduler()
        do {
            try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
            let topics = try TopicStore(dataDirectory: configuration.dataDirectory, segmentBytes: configuration.segmentBytes,
                                        maxTopics: configuration.maxTopics,
                                        maxPartitions: configuration.maxPartitionsPerTopic,
                                        maxOpenFiles: configuration.maxOpenFiles)
            let coordinator = try GroupCoordinator(eventLoop: group.next(), dataDirectory: configuration.dataDirectory,
                                                   syncer: syncer, fsync: configuration.fsync,
                                                   initialDelayMs: configuration.groupInitialRebalanceDelayMs,
                                                   maxIdentifierBytes: configuration.maxIdentifierBytes,
                                                   maxMembers: configuration.maxGroupMembers, maxGroups: configuration.maxGroups,
                                                   logger: logger)
            let context = BrokerContext(configuration: configuration, topics: topics, groups: coordinator, syncer: syncer,
                                        logger: logger)
            let router = RequestRouter(context: context)
            let maxFrame = configuration.maxFrameBytes
            let maxQueued = configuration.maxQueuedRequests
            let authenticator = configuration.authenticator
            let authenticationRequired = configuration.authenticationRequired
            // An anonymous connection has no principal to check: ACLs need required SASL.
            precondition(authenticationRequired || configuration.authorizer == nil,
                         "BrokerConfiguration: an authorizer needs authenticationRequired")
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: maxFrame)))
                        try channel.pipeline.syncOperations.addHandler(KafkaConnectionHandler(router: router, logger: logger,
                                                                                              maxQueuedRequests: maxQueued,
                                                                                              authenticator: authenticator,
                                                                                              authenticationRequired: authenticationRequired))
                    }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
            let port = channel.localAddress?.port ?? configuration.port
            context.setAdvertisedPort(configuration.advertisedPort ?? port)
            coordinator.start()
            logger.info("kafka broker listening on \(configuration.host):\(port), data in \(configuration.dataDirectory)\(configuration.authenticator == nil ? "" : authenticationRequired ? ", SASL (PLAIN, OAUTHBEARER) required" : ", SASL (PLAIN, OAUTHBEARER) optional")")
            return KafkaBroker(port: port, configuration: configuration, group: group, serverChannel: channel, context: context,
                               syncer: syncer)
        } catch {
            await syncer.shutdown()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Waits until the broker is shut down.
    public func waitUntilClosed() async throws {
        try await serverChannel.closeFuture.get()
    }

    var logger: Logger { context.logger }

    /// Stops accepting connections (ends `waitUntilClosed`); `shutdown` does the rest.
    func closeListener() {
        serverChannel.close(promise: nil)
    }

    /// Stops accepting, closes connections and files, and stops the event loops.
    public func shutdown() async throws {
        try? await serverChannel.close()
        try? await context.groups.stop().get()
        context.topics.syncAll()
        await syncer.shutdown()
        try await group.shutdownGracefully()
    }
}
