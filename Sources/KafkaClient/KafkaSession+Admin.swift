extension KafkaSession {
    /// Creates a topic and waits for the broker's answer.
    /// Throws `.topicAlreadyExists`, `.invalidArgument`, `.timedOut`, `.transport`, ...
    public func createTopic(
        name: String,
        partitions: Int = 1,
        replicationFactor: Int = 1,
        timeout: Duration = .seconds(10)
    ) throws(KafkaError) {
        guard partitions > 0, replicationFactor > 0 else {
            throw KafkaError.invalidArgument("partitions and replicationFactor must be positive")
        }
        try core.withHandle { () throws(KafkaError) in
            try core.producer.createTopic(
                name: name,
                partitions: Int32(clamping: partitions),
                replicationFactor: Int32(clamping: replicationFactor),
                timeoutMilliseconds: timeout.timeoutMilliseconds
            )
        }
    }

    /// ``createTopic(name:partitions:replicationFactor:timeout:)`` off the cooperative pool.
    public func createTopic(
        name: String,
        partitions: Int = 1,
        replicationFactor: Int = 1,
        timeout: Duration = .seconds(10)
    ) async throws(KafkaError) {
        try await runBlocking(name: "kafka-admin") { () throws(KafkaError) in
            try self.createTopic(name: name, partitions: partitions, replicationFactor: replicationFactor, timeout: timeout)
        }
    }

    /// Deletes a topic and waits for the broker's answer. Throws `.unknownTopic` if it does not exist.
    public func deleteTopic(name: String, timeout: Duration = .seconds(10)) throws(KafkaError) {
        try core.withHandle { () throws(KafkaError) in
            try core.producer.deleteTopic(name: name, timeoutMilliseconds: timeout.timeoutMilliseconds)
        }
    }

    /// ``deleteTopic(name:timeout:)`` off the cooperative pool.
    public func deleteTopic(name: String, timeout: Duration = .seconds(10)) async throws(KafkaError) {
        try await runBlocking(name: "kafka-admin") { () throws(KafkaError) in
            try self.deleteTopic(name: name, timeout: timeout)
        }
    }

    /// Brokers, topics and partitions of the cluster (`rd_kafka_metadata`, all topics).
    public func metadata(timeout: Duration = .seconds(5)) throws(KafkaError) -> KafkaMetadata {
        try core.withHandle { () throws(KafkaError) in
            try core.producer.metadata(timeoutMilliseconds: timeout.timeoutMilliseconds)
        }
    }

    /// ``metadata(timeout:)`` off the cooperative pool.
    public func metadata(timeout: Duration = .seconds(5)) async throws(KafkaError) -> KafkaMetadata {
        try await runBlocking(name: "kafka-admin") { () throws(KafkaError) -> KafkaMetadata in
            try self.metadata(timeout: timeout)
        }
    }

    /// Metadata of the topic named `topic` alone (a Metadata request that names it), with the
    /// broker's error for it: `.unknownTopic`, or `.authorization` when the principal may not
    /// describe it (a request for all topics leaves such a topic out). May auto-create the topic
    /// when the session's `allow.auto.create.topics` is true (librdkafka's producer default) and
    /// the broker allows it.
    public func metadata(topic: String, timeout: Duration = .seconds(5)) async throws(KafkaError) -> KafkaMetadata.Topic {
        try await runBlocking(name: "kafka-admin") { () throws(KafkaError) -> KafkaMetadata.Topic in
            let metadata = try self.core.withHandle { () throws(KafkaError) in
                try self.core.producer.metadata(topic: topic, timeoutMilliseconds: timeout.timeoutMilliseconds)
            }
            guard let described = metadata.topic(named: topic) else {
                throw KafkaError(code: .unknownTopic, reason: "topic '\(topic)' does not exist")
            }
            return described
        }
    }

    /// Names of the existing topics, sorted; internal topics (`__consumer_offsets`, ...) are left out.
    public func listTopics(timeout: Duration = .seconds(5)) throws(KafkaError) -> [String] {
        try metadata(timeout: timeout).topics
            .filter { $0.error == nil && !$0.name.hasPrefix("__") }
            .map(\.name)
    }

    /// ``listTopics(timeout:)`` off the cooperative pool.
    public func listTopics(timeout: Duration = .seconds(5)) async throws(KafkaError) -> [String] {
        try await runBlocking(name: "kafka-admin") { () throws(KafkaError) -> [String] in
            try self.listTopics(timeout: timeout)
        }
    }
}

extension KafkaSession {
    /// How many members consumer group `group` has now (`rd_kafka_list_groups`); nil when no
    /// broker knows the group. For "is a service of that group running?" hints.
    public func memberCount(ofGroup group: String, timeout: Duration = .seconds(5)) async throws(KafkaError) -> Int? {
        try await runBlocking(name: "kafka-admin") { () throws(KafkaError) -> Int? in
            try self.core.withHandle { () throws(KafkaError) in
                try self.core.producer.memberCount(ofGroup: group, timeoutMilliseconds: timeout.timeoutMilliseconds)
            }
        }
    }
}

extension KafkaSession {
    /// True if a broker answers a Metadata request within `timeout` (updates
    /// ``connectionState`` to `.up` on success). For "is anything listening?" checks.
    public func ping(timeout: Duration = .seconds(1)) throws(KafkaError) -> Bool {
        let answered = try core.withHandle { () throws(KafkaError) in
            core.producer.probeBrokers(timeoutMilliseconds: timeout.timeoutMilliseconds)
        }
        if answered {
            core.connectionChanged(core.state.withLock { $0.brokersAnswered() })
        }
        return answered
    }

    /// ``ping(timeout:)`` off the cooperative pool.
    public func ping(timeout: Duration = .seconds(1)) async throws(KafkaError) -> Bool {
        try await runBlocking(name: "kafka-ping") { () throws(KafkaError) -> Bool in
            try self.ping(timeout: timeout)
        }
    }
}

extension KafkaSession {
    /// The next offset (high watermark) of every partition of `topic`, by partition.
    public func endOffsets(topic: String, timeout: Duration = .seconds(5)) throws(KafkaError) -> [Int32: Int64] {
        guard let described = try metadata(timeout: timeout).topic(named: topic), described.error == nil else {
            throw KafkaError(code: .unknownTopic, reason: "topic '\(topic)' does not exist")
        }
        var ends: [Int32: Int64] = [:]
        for partition in described.partitions {
            ends[partition.id] = try core.withHandle { () throws(KafkaError) in
                try core.producer.watermarks(topic: topic, partition: partition.id,
                                             timeoutMilliseconds: timeout.timeoutMilliseconds).high
            }
        }
        return ends
    }

    /// ``endOffsets(topic:timeout:)`` off the cooperative pool.
    public func endOffsets(topic: String, timeout: Duration = .seconds(5)) async throws(KafkaError) -> [Int32: Int64] {
        try await runBlocking(name: "kafka-admin") { () throws(KafkaError) -> [Int32: Int64] in
            try self.endOffsets(topic: topic, timeout: timeout)
        }
    }
}
