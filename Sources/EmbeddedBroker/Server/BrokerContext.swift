import KafkaWire
import Logging
import NIOCore
import Synchronization

/// What a request handler needs: configuration, topics, groups, and where the broker is reachable.
final class BrokerContext: Sendable {
    let configuration: BrokerConfiguration
    let topics: TopicStore
    let groups: GroupCoordinator
    let syncer: SyncScheduler
    let logger: Logger
    let advertisedHost: String
    private let port = Atomic<Int32>(0)
    var advertisedPort: Int32 { port.load(ordering: .relaxed) }
    private let producerIDs = ManagedAtomicCounter(start: (NIODeadline.now().uptimeNanoseconds & 0xFFFF_FFFF) << 16)
    private let waiterIDs = ManagedAtomicCounter(start: 1)

    init(configuration: BrokerConfiguration, topics: TopicStore, groups: GroupCoordinator, syncer: SyncScheduler,
         logger: Logger) {
        self.configuration = configuration
        self.topics = topics
        self.groups = groups
        self.syncer = syncer
        self.logger = logger
        self.advertisedHost = configuration.resolvedAdvertisedHost
    }

    func setAdvertisedPort(_ value: Int) { port.store(Int32(clamping: value), ordering: .relaxed) }

    /// Starts below 2^48 and counts up by one: positive for centuries of requests.
    func nextProducerID() -> Int64 { Int64(truncatingIfNeeded: producerIDs.next()) }
    func nextWaiterID() -> UInt64 { waiterIDs.next() }
}
