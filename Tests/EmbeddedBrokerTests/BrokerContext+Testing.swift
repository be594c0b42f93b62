import Logging
import NIOCore
@testable import EmbeddedBroker

extension BrokerContext {
    /// A context over `dir` with one topic `t` of one partition; shut its `syncer` down at the end.
    static func forTesting(_ dir: TempDirectory, group: EventLoopGroup) throws -> BrokerContext {
        let syncer = SyncScheduler()
        let topics = try TopicStore(dataDirectory: dir.path, segmentBytes: 1 << 20)
        _ = topics.create("t", partitions: 1)
        let coordinator = try GroupCoordinator(eventLoop: group.next(), dataDirectory: dir.path, syncer: syncer,
                                               initialDelayMs: 0, logger: Logger(label: "test"))
        return BrokerContext(configuration: BrokerConfiguration(dataDirectory: dir.path), topics: topics,
                             groups: coordinator, syncer: syncer, logger: Logger(label: "test"))
    }
}
