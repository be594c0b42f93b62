import ArgumentParser
import EmbeddedBroker

/// The embedded broker's resource limits (`kchat broker`, `kchat serve`). Defaults are
/// `BrokerConfiguration`'s.
struct BrokerLimitOptions: ParsableArguments {
    @Option(help: "Most topics; past it auto-create answers UNKNOWN_TOPIC_OR_PARTITION and CreateTopics POLICY_VIOLATION.")
    var maxTopics: Int = BrokerConfiguration.defaults.maxTopics

    @Option(help: "Most partitions per topic; CreateTopics asking more gets INVALID_PARTITIONS.")
    var maxPartitions: Int = BrokerConfiguration.defaults.maxPartitionsPerTopic

    @Option(help: "Most segment files open at once (least recently used ones are closed, reopened on demand).")
    var maxOpenFiles: Int = BrokerConfiguration.defaults.maxOpenFiles

    @Option(help: "Most record bytes in one Fetch response (client max_bytes and partition_max_bytes are capped to it).")
    var maxFetchBytes: Int = BrokerConfiguration.defaults.maxFetchBytes

    @Option(help: "Requests queued per connection before the broker stops reading it until they drain.")
    var maxQueuedRequests: Int = BrokerConfiguration.defaults.maxQueuedRequests

    @Option(help: "Most members per consumer group; past it JoinGroup gets GROUP_MAX_SIZE_REACHED.")
    var maxGroupMembers: Int = BrokerConfiguration.defaults.maxGroupMembers

    @Option(help: "Most consumer groups; past it JoinGroup for a new group gets COORDINATOR_NOT_AVAILABLE.")
    var maxGroups: Int = BrokerConfiguration.defaults.maxGroups

    @Option(help: "Longest group id or member id in bytes; longer ones get INVALID_GROUP_ID / UNKNOWN_MEMBER_ID.")
    var maxIdBytes: Int = BrokerConfiguration.defaults.maxIdentifierBytes

    func validate() throws {
        for (name, value) in [("--max-topics", maxTopics), ("--max-partitions", maxPartitions), ("--max-open-files", maxOpenFiles),
                              ("--max-fetch-bytes", maxFetchBytes), ("--max-queued-requests", maxQueuedRequests),
                              ("--max-group-members", maxGroupMembers), ("--max-groups", maxGroups), ("--max-id-bytes", maxIdBytes)] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        if maxOpenFiles < 4 { throw ValidationError("--max-open-files must be at least 4 (a segment is two files)") }
        if maxFetchBytes > 1 << 30 { throw ValidationError("--max-fetch-bytes must be at most 1 GiB") }
    }

    func apply(to configuration: inout BrokerConfiguration) {
        configuration.maxTopics = maxTopics
        configuration.maxPartitionsPerTopic = maxPartitions
        configuration.maxOpenFiles = maxOpenFiles
        configuration.maxFetchBytes = maxFetchBytes
        configuration.maxQueuedRequests = maxQueuedRequests
        configuration.maxGroupMembers = maxGroupMembers
        configuration.maxGroups = maxGroups
        configuration.maxIdentifierBytes = maxIdBytes
    }
}
