import Logging
import NIOCore
@testable import EmbeddedBroker
import TestSupport

extension BrokerContext {
    /// A context over `dir` with one topic `t` of one partition; shut its `syncer` down at the end.
    /// `configure` adjusts the configuration (limits) before the stores are made from it.
    static func forTesting(_ dir: TemporaryDirectory, group: EventLoopGroup,
                           configure: (inout BrokerConfiguration) -> Void = { _ in }) throws -> BrokerContext {
        var configuration = BrokerConfiguration(dataDirectory: dir.path)
        configure(&configuration)
        let syncer = SyncScheduler()
        let topics = try TopicStore(dataDirectory: dir.path, segmentBytes: 1 << 20, maxTopics: configuration.maxTopics,
                                    maxPartitions: configuration.maxPartitionsPerTopic,
                                    maxOpenFiles: configuration.maxOpenFiles)
        _ = topics.create("t", partitions: 1)
        let coordinator = try GroupCoordinator(eventLoop: group.next(), dataDirectory: dir.path, syncer: syncer,
                                               initialDelayMs: 0, maxIdentifierBytes: configuration.maxIdentifierBytes,
                                               maxMembers: configuration.maxGroupMembers, maxGroups: configuration.maxGroups,
                                               logger: Logger(label: "test"))
        return BrokerContext(configuration: configuration, topics: topics,
                             groups: coordinator, syncer: syncer, logger: Logger(label: "test"))
    }
}
