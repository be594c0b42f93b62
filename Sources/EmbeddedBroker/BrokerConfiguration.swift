/// Everything the embedded broker needs to know to run.
public struct BrokerConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port to listen on; 0 picks a free one (see `KafkaBroker.port`).
    public var port: Int
    /// Host name given to clients in Metadata and FindCoordinator; defaults to `host`
    /// (or 127.0.0.1 when listening on every interface).
    public var advertisedHost: String?
    /// Port given to clients; defaults to the bound port (set it when behind a proxy or NAT).
    public var advertisedPort: Int?
    /// Directory holding topics, partition logs and committed offsets.
    public var dataDirectory: String
    /// Partitions of an auto-created topic (and of CreateTopics asking for the default).
    public var defaultPartitions: Int = 3
    /// Create unknown topics when a client asks Metadata for them.
    public var autoCreateTopics: Bool = true
    /// Largest record batch accepted (Kafka's message.max.bytes).
    public var maxBatchBytes: Int = 1_048_588
    /// Largest request frame; larger size prefixes close the connection.
    public var maxFrameBytes: Int = 100 * 1024 * 1024
    /// A segment file is closed and a new one started past this size.
    public var segmentBytes: Int = 64 * 1024 * 1024
    /// fsync the partition log before acknowledging a produce with acks=-1, and the offsets file
    /// before acknowledging a commit (group commit: one sync serves every request waiting for it).
    public var fsync: Bool = true
    /// How long a newly created group waits for more members before its first assignment.
    public var groupInitialRebalanceDelayMs: Int64 = 200
    /// Most topics the broker holds: past it auto-create answers UNKNOWN_TOPIC_OR_PARTITION (one
    /// log line per refused request) and CreateTopics POLICY_VIOLATION (44).
    public var maxTopics: Int = 1_000
    /// Most partitions of one topic: CreateTopics asking more gets INVALID_PARTITIONS (37).
    public var maxPartitionsPerTopic: Int = 64
    /// Most segment files (log + index) open at once; the least recently used are closed and
    /// reopened on demand.
    public var maxOpenFiles: Int = 512
    /// Most record bytes in one Fetch response (and per partition): a client's larger max_bytes
    /// and partition_max_bytes are capped to this; at least one batch is still returned.
    public var maxFetchBytes: Int = 16 * 1024 * 1024
    /// Requests of one connection queued or in progress past which the broker stops reading that
    /// socket until they drain (back-pressure, not a close).
    public var maxQueuedRequests: Int = 64
    /// Members (joined or holding an id from MEMBER_ID_REQUIRED) of one group; past it JoinGroup
    /// answers GROUP_MAX_SIZE_REACHED (81).
    public var maxGroupMembers: Int = 1_000
    /// Groups the coordinator keeps; past it (when no empty group can be dropped) JoinGroup for a
    /// new group answers COORDINATOR_NOT_AVAILABLE (15).
    public var maxGroups: Int = 10_000
    /// Longest group id and member id accepted (bytes of UTF-8); longer ones get INVALID_GROUP_ID
    /// (24) / UNKNOWN_MEMBER_ID (25). Client ids of any length are accepted (they are only
    /// echoed, and member ids use a bounded prefix of them).
    public var maxIdentifierBytes: Int = 255
    /// Event loop threads (0 = number of cores).
    public var threads: Int = 0
    /// Checks SASL (PLAIN, OAUTHBEARER) credentials; nil (the default): no authentication, every
    /// connection may send every request. When set, a connection must authenticate before
    /// anything but ApiVersions, SaslHandshake and SaslAuthenticate.
    public var authenticator: (any BrokerAuthenticator)?
    /// With an `authenticator`: false lets a connection skip SASL and be served anonymously
    /// (no authorizer check), while one that authenticates is checked as usual. For a hub
    /// run with `--auth none`, so that clients that log in work against it too.
    public var authenticationRequired: Bool = true
    /// Decides what an authenticated principal may do (Kafka's ACL error codes otherwise); nil:
    /// an authenticated principal may do everything. Used only with an `authenticator`.
    public var authorizer: (any BrokerAuthorizer)?
    public var nodeID: Int32 = 1
    public var clusterID: String = "kchat-embedded"

    public init(host: String = "127.0.0.1", port: Int = 9092, dataDirectory: String) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
    }

    /// A configuration with every default (for option parsers showing them).
    public static var defaults: BrokerConfiguration { BrokerConfiguration(dataDirectory: "") }

    var resolvedAdvertisedHost: String {
        if let advertisedHost { return advertisedHost }
        return (host == "0.0.0.0" || host == "::") ? "127.0.0.1" : host
    }
}
