/// Settings shared by the producer and the consumer handle of a ``KafkaSession``.
///
/// Defaults favour low latency for an interactive chat (no linger: a message is sent
/// at once, and what queues up while a request is in flight goes out together; 50 ms
/// fetch wait, Nagle off, fast reconnects). Anything librdkafka understands can be set
/// through ``extraProperties`` (the `-X key=value` passthrough); those win over
/// every typed setting.
public struct KafkaConfiguration: Sendable {
    /// Where the consumer starts in a partition that has no committed offset.
    public enum AutoOffsetReset: String, Sendable, Hashable {
        case earliest
        case latest
    }

    /// `host:port` pairs (`bootstrap.servers`).
    public var bootstrapServers: [String]
    /// `client.id`.
    public var clientID: String
    /// How long a produced message may wait for an acknowledgement before its
    /// delivery report says `.failed(.timedOut)` (`message.timeout.ms`).
    public var messageTimeout: Duration
    /// `queue.buffering.max.ms` (a.k.a. `linger.ms`).
    public var linger: Duration
    /// `fetch.wait.max.ms`: the broker long-poll time of a Fetch.
    public var fetchWaitMax: Duration
    /// `enable.auto.commit` for group consumers.
    public var enableAutoCommit: Bool
    /// `auto.commit.interval.ms`.
    public var autoCommitInterval: Duration
    /// `auto.offset.reset`.
    public var autoOffsetReset: AutoOffsetReset
    /// `session.timeout.ms` of the consumer group membership.
    public var sessionTimeout: Duration
    /// `heartbeat.interval.ms`.
    public var heartbeatInterval: Duration
    /// librdkafka `debug` contexts (e.g. `"broker,protocol"`), nil for none.
    public var debug: String?
    /// Upper bound of messages handed to a handler in one batch.
    public var maxBatchSize: Int
    /// How long the poll threads block in librdkafka per iteration; bounds shutdown latency.
    public var pollInterval: Duration
    /// Upper bound for leaving the consumer group on shutdown (final commit, LeaveGroup);
    /// past it the membership is abandoned (the broker expires it after `sessionTimeout`).
    public var consumerCloseTimeout: Duration
    /// Raw librdkafka properties applied last, to both handles.
    public var extraProperties: [String: String]
    /// SASL/OAUTHBEARER with tokens from this provider (sets `security.protocol=SASL_PLAINTEXT`
    /// and `sasl.mechanisms=OAUTHBEARER` unless ``extraProperties`` says otherwise); nil: no
    /// token (other SASL mechanisms, e.g. PLAIN, are plain properties).
    public var oauthBearerToken: OAuthBearerTokenProvider?

    public init(
        bootstrapServers: [String] = ["localhost:9092"],
        clientID: String = "kchat",
        messageTimeout: Duration = .seconds(30),
        extraProperties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.messageTimeout = messageTimeout
        self.linger = .zero
        self.fetchWaitMax = .milliseconds(50)
        self.enableAutoCommit = true
        self.autoCommitInterval = .seconds(1)
        self.autoOffsetReset = .earliest
        self.sessionTimeout = .seconds(10)
        self.heartbeatInterval = .seconds(1)
        self.debug = nil
        self.maxBatchSize = 1000
        self.pollInterval = .milliseconds(100)
        self.consumerCloseTimeout = .seconds(3)
        self.extraProperties = extraProperties
    }

    /// Convenience: `"host1:9092,host2:9092"`.
    public init(brokers: String, clientID: String = "kchat") {
        self.init(
            bootstrapServers: brokers.split(separator: ",").map { String($0).trimmed() }.filter { !$0.isEmpty },
            clientID: clientID
        )
    }

    /// Parses one `-X key=value` argument (as kcat does) into ``extraProperties``.
    public mutating func setProperty(_ assignment: String) throws(KafkaError) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw KafkaError(code: .invalidConfiguration, reason: "expected key=value, got '\(assignment)'")
        }
        let key = String(assignment[..<equals]).trimmed()
        let value = String(assignment[assignment.index(after: equals)...])
        guard !key.isEmpty else {
            throw KafkaError(code: .invalidConfiguration, reason: "empty property name in '\(assignment)'")
        }
        extraProperties[key] = value
    }

    /// Properties common to both handles.
    var commonProperties: [String: String] {
        var properties: [String: String] = [
            "bootstrap.servers": bootstrapServers.joined(separator: ","),
            "client.id": clientID,
            "socket.nagle.disable": "true",
            "reconnect.backoff.ms": "50",
            "reconnect.backoff.max.ms": "1000",
            "api.version.request": "true",
            "log.connection.close": "false",
        ]
        if let debug, !debug.isEmpty {
            properties["debug"] = debug
        }
        if oauthBearerToken != nil {
            properties["security.protocol"] = "SASL_PLAINTEXT"
            properties["sasl.mechanisms"] = "OAUTHBEARER"
        }
        return properties
    }

    /// Properties of the producer handle (typed settings, then ``extraProperties``).
    var producerProperties: [String: String] {
        var properties = commonProperties
        properties["queue.buffering.max.ms"] = String(linger.wholeMilliseconds)
        properties["message.timeout.ms"] = String(max(1, messageTimeout.wholeMilliseconds))
        properties["retry.backoff.ms"] = "50"
        return Self.applying(extraProperties, over: properties)
    }

    /// Properties of the consumer handle (typed settings, then ``extraProperties``).
    func consumerProperties(groupID: String, autoCommit: Bool) -> [String: String] {
        var properties = commonProperties
        properties["group.id"] = groupID
        properties["enable.auto.commit"] = autoCommit ? "true" : "false"
        properties["auto.commit.interval.ms"] = String(autoCommitInterval.wholeMilliseconds)
        properties["auto.offset.reset"] = autoOffsetReset.rawValue
        properties["fetch.wait.max.ms"] = String(fetchWaitMax.wholeMilliseconds)
        properties["fetch.error.backoff.ms"] = "50"
        properties["session.timeout.ms"] = String(sessionTimeout.wholeMilliseconds)
        properties["heartbeat.interval.ms"] = String(heartbeatInterval.wholeMilliseconds)
        properties["topic.metadata.refresh.interval.ms"] = "10000"
        properties["enable.partition.eof"] = "false"
        // librdkafka 2.0.2 (Debian's) stops fetching a partition once its consumer queue holds
        // `queued.min.messages` (default 100,000) and then fetches again only when its broker
        // thread next wakes, up to 1 s later (`rd_kafka_toppar_fetch_decide` returns an endless
        // backoff; `fetch.queue.backoff.ms` came later): a consumer faster than ~100k msgs/s on
        // a backlog idled every time its queue ran dry (the moderator at 1M waiting messages:
        // 114k vs 186k msgs/s, docs/PERFORMANCE.md). The queue stays bounded by
        // `queued.max.messages.kbytes` (64 MiB of payload by default), so only the count is raised.
        properties["queued.min.messages"] = "1000000"
        return Self.applying(extraProperties, over: properties)
    }

    /// librdkafka names that set the same property (e.g. `-X linger.ms=0` must win over the
    /// typed `queue.buffering.max.ms`, whichever name sorts last).
    static let aliases: [[String]] = [
        ["linger.ms", "queue.buffering.max.ms"],
        ["delivery.timeout.ms", "message.timeout.ms"],
        ["acks", "request.required.acks"],
        ["retries", "message.send.max.retries"],
        ["max.in.flight", "max.in.flight.requests.per.connection"],
    ]

    /// `extra` over `typed`: an extra property replaces the typed one and its aliases.
    static func applying(_ extra: [String: String], over typed: [String: String]) -> [String: String] {
        var properties = typed
        for key in extra.keys {
            for alias in aliases.first(where: { $0.contains(key) }) ?? [] { properties[alias] = nil }
        }
        return properties.merging(extra) { _, extra in extra }
    }
}

extension Duration {
    /// Whole milliseconds, clamped to `Int32` (librdkafka's timeout type).
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return Int(min(max(millis.rounded(.up), 0), Double(Int32.max)))  // safe: clamped to 0...Int32.max above
    }

    var timeoutMilliseconds: Int32 { Int32(wholeMilliseconds) }  // safe: clamped to 0...Int32.max above
}

extension String {
    func trimmed() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
