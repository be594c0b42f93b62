import EmbeddedBroker
import KafkaClient
import Testing

/// End-to-end tests against the real embedded broker (EmbeddedBroker module).
@Suite(.serialized, .timeLimit(.minutes(2)))
struct KafkaSessionTests {
    @Test func produceThenConsumeInOrderFromBeginning() async throws {
        try await withBroker { broker, _ in
            let topic = uniqueTopic("ordered")
            let reports = Collector<DeliveryReport>()
            let handlerCalls = Collector<Int>()
            let producer = try KafkaSession(
                configuration: testConfiguration(port: broker.port),
                logger: testLogger("producer"),
                onDelivery: { batch in
                    handlerCalls.append(batch.count)
                    reports.append(contentsOf: batch)
                }
            )
            defer { producer.shutdown() }
            try await producer.createTopic(name: topic, partitions: 1)

            let count = 500
            var tokens: [UInt64] = []
            for index in 0..<count {
                tokens.append(try producer.produce(topic: topic, key: "k", value: "message-\(index)"))
            }
            #expect(Set(tokens).count == count)
            #expect(try await producer.flush(timeout: .seconds(20)))
            #expect(await eventually { reports.count == count })

            let delivered = reports.values
            let failures = delivered.compactMap(\.error)
            #expect(failures.isEmpty, "first failures: \(failures.prefix(3))")
            #expect(Set(delivered.map(\.token)) == Set(tokens))
            // Offsets follow produce order on the single partition.
            let offsetByToken = Dictionary(uniqueKeysWithValues: delivered.map { ($0.token, $0.offset) })
            #expect(tokens.map { offsetByToken[$0] ?? nil } == (0..<count).map { Int64($0) })
            // Reports arrive in batches, not one handler call per message.
            #expect(handlerCalls.count < count)

            let consumer = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("consumer"))
            defer { consumer.shutdown() }
            let batches = try consumer.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: .beginning)])
            var received: [ConsumedMessage] = []
            for await batch in batches {
                received += batch
                if received.count >= count { break }
            }
            #expect(received.count == count)
            #expect(received.map(\.valueString) == (0..<count).map { "message-\($0)" })
            #expect(received.map(\.offset) == (0..<count).map { Int64($0) })
            #expect(received.allSatisfy { $0.topic == topic && $0.partition == 0 && $0.keyString == "k" })
            #expect(received.allSatisfy { $0.timestampMilliseconds != nil })
        }
    }

    @Test func subscribeWithGroupReceivesAndCommits() async throws {
        try await withBroker { broker, _ in
            let topic = uniqueTopic("grouped")
            let session = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("group"))
            defer { session.shutdown() }
            try await session.createTopic(name: topic, partitions: 3)

            let count = 30
            for index in 0..<count {
                let report = try await session.send(
                    topic: topic, key: "channel-\(index % 5)", value: "hello \(index)",
                    headers: [KafkaHeader(key: "author", string: "alice")]
                )
                #expect(report.isAcknowledged)
            }

            let events = Collector<KafkaEvent>()
            session.setEventHandler { events.append($0) }
            let received = Collector<ConsumedMessage>()
            try session.subscribe(topics: [topic], groupID: "group-\(topic)") { batch in
                received.append(contentsOf: batch)
            }
            #expect(session.consumerGroupID == "group-\(topic)")
            #expect(await eventually(timeout: .seconds(30)) { received.count >= count })
            #expect(Set(received.values.map(\.valueString)) == Set((0..<count).map { "hello \($0)" }))
            #expect(received.values.allSatisfy { $0.headers == [KafkaHeader(key: "author", string: "alice")] })
            #expect(events.values.contains { if case .partitionsAssigned(let parts) = $0 { parts.count == 3 } else { false } })

            // Same key, same partition: per-channel order is preserved.
            for channel in 0..<5 {
                let values = received.values.filter { $0.keyString == "channel-\(channel)" }.map(\.valueString)
                #expect(values == (0..<count).filter { $0 % 5 == channel }.map { "hello \($0)" })
            }

            try await session.commit()
            let committed = try session.committedOffsets(for: (0..<3).map { TopicPartition(topic: topic, partition: $0) })
            #expect(committed.values.reduce(0, +) == Int64(count))
        }
    }

    @Test func deliveryFailureIsReportedWhenBrokerIsDown() async throws {
        let port = try closedLocalPort()
        let reports = Collector<DeliveryReport>()
        let events = Collector<KafkaEvent>()
        let session = try KafkaSession(
            configuration: testConfiguration(port: port, messageTimeout: .milliseconds(1500)),
            logger: testLogger("down"),
            onDelivery: { reports.append(contentsOf: $0) },
            onEvent: { events.append($0) }
        )
        defer { session.shutdown() }

        let token = try session.produce(topic: "nowhere", key: nil, value: "lost")
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await eventually(timeout: .seconds(15)) { reports.count == 1 })
        #expect(clock.now - start < .seconds(10))
        let report = try #require(reports.values.first)
        #expect(report.token == token)
        #expect(report.error?.code == .timedOut)

        await #expect(throws: KafkaError.self) {
            try await session.send(topic: "nowhere", value: Array("also lost".utf8))
        }
        #expect(try await session.ping(timeout: .milliseconds(300)) == false)
        #expect(await eventually { if case .down = session.connectionState { true } else { false } })
        #expect(events.values.contains(.connectionStateChanged(session.connectionState)))
    }

    @Test func createListAndDeleteTopics() async throws {
        try await withBroker { broker, _ in
            let session = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("admin"))
            defer { session.shutdown() }
            let topic = uniqueTopic("admin")

            #expect(try await session.ping())
            try await session.createTopic(name: topic, partitions: 2)
            #expect(try await session.listTopics().contains(topic))
            let metadata = try await session.metadata()
            #expect(metadata.brokers.contains { $0.port == broker.port })
            #expect(metadata.topic(named: topic)?.partitions.map(\.id) == [0, 1])

            do throws(KafkaError) {
                try await session.createTopic(name: topic, partitions: 2)
                Issue.record("creating an existing topic succeeded")
            } catch {
                #expect(error.code == .topicAlreadyExists)
            }

            try await session.deleteTopic(name: topic)
            #expect(await eventually { (try? session.listTopics())?.contains(topic) == false })
            do throws(KafkaError) {
                try await session.deleteTopic(name: topic)
                Issue.record("deleting a missing topic succeeded")
            } catch {
                #expect(error.code == .unknownTopic)
            }
        }
    }

    @Test func reconnectsAfterBrokerRestart() async throws {
        let directory = makeDataDirectory()
        defer { removeDataDirectory(directory) }
        var broker = try await KafkaBroker.start(BrokerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory))
        let port = broker.port
        let events = Collector<KafkaEvent>()
        let session = try KafkaSession(
            configuration: testConfiguration(port: port, messageTimeout: .seconds(30)),
            logger: testLogger("restart"),
            onEvent: { events.append($0) }
        )
        defer { session.shutdown() }
        let topic = uniqueTopic("restart")
        try await session.createTopic(name: topic, partitions: 1)
        #expect(try await session.send(topic: topic, key: "k", value: "before").offset == 0)
        #expect(await eventually { session.connectionState == .up })

        try await broker.shutdown()
        #expect(await eventually(timeout: .seconds(15)) { session.connectionState != .up })

        // Produced while the broker is down: queued, delivered after the restart.
        let pending = Collector<DeliveryReport>()
        session.setDeliveryHandler { pending.append(contentsOf: $0) }
        let token = try session.produce(topic: topic, key: "k", value: "during")

        broker = try await KafkaBroker.start(BrokerConfiguration(host: "127.0.0.1", port: port, dataDirectory: directory))
        #expect(await eventually(timeout: .seconds(25)) { pending.values.contains { $0.token == token } })
        #expect(pending.values.first { $0.token == token }?.offset == 1)
        #expect(await eventually { session.connectionState == .up })
        #expect(events.values.contains(.connectionStateChanged(.up)))

        let reader = try KafkaSession(configuration: testConfiguration(port: port), logger: testLogger("restart-reader"))
        var values: [String] = []
        for await batch in try reader.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: .beginning)]) {
            values += batch.map(\.valueString)
            if values.count >= 2 { break }
        }
        #expect(values == ["before", "during"])
        await reader.shutdown()
        await session.shutdown()
        try await broker.shutdown()
    }

    @Test func groupConsumerShutsDownPromptlyWhenBrokerIsGone() async throws {
        let directory = makeDataDirectory()
        defer { removeDataDirectory(directory) }
        let broker = try await KafkaBroker.start(BrokerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory))
        let session = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("orphan"))
        let topic = uniqueTopic("orphan")
        try await session.createTopic(name: topic, partitions: 1)
        try await session.send(topic: topic, key: nil, value: "one")
        let received = Collector<ConsumedMessage>()
        try session.subscribe(topics: [topic], groupID: "orphan-group") { received.append(contentsOf: $0) }
        #expect(await eventually(timeout: .seconds(20)) { received.count == 1 })

        try await broker.shutdown()
        let clock = ContinuousClock()
        let start = clock.now
        await session.shutdown(flushTimeout: .seconds(1))
        #expect(clock.now - start < .seconds(8))
        #expect(session.isShutDown)
        #expect(throws: KafkaError.self) { try session.produce(topic: topic, key: nil, value: "late") }
    }
}

extension KafkaSessionTests {
    /// A topic that appears later (a user's inbox) joins a running assignment: the partitions
    /// already assigned go on where they were, nothing is read twice.
    @Test func addToAssignmentKeepsThePositionsOfTheAssignedPartitions() async throws {
        try await withBroker { broker, _ in
            let (first, later) = (uniqueTopic("assigned"), uniqueTopic("later"))
            let session = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("incremental"))
            defer { session.shutdown() }
            #expect(throws: KafkaError.self) { try session.addToAssignment([]) }
            try await session.createTopic(name: first, partitions: 1)
            for index in 0..<3 { try await session.send(topic: first, key: nil, value: Array("a\(index)".utf8)) }
            let received = Collector<ConsumedMessage>()
            try session.assign([TopicPartitionOffset(topic: first, partition: 0, offset: .beginning)]) { received.append(contentsOf: $0) }
            #expect(await eventually { received.count == 3 })

            try await session.createTopic(name: later, partitions: 1)
            try await session.send(topic: later, key: nil, value: Array("b0".utf8))
            try session.addToAssignment([TopicPartitionOffset(topic: later, partition: 0, offset: .beginning)])
            try await session.send(topic: first, key: nil, value: Array("a3".utf8))
            #expect(await eventually { received.count == 5 })
            try await Task.sleep(for: .milliseconds(300))
            let values = received.values.map(\.valueString)
            #expect(values.count == 5, "nothing read twice: \(values)")
            #expect(Set(values) == ["a0", "a1", "a2", "a3", "b0"])
        }
    }
}

extension KafkaSessionTests {
    /// `seek` moves an assigned partition back (its records come again) and forward (skipped).
    @Test func seekMovesAnAssignedPartitionBackAndForward() async throws {
        try await withBroker { broker, _ in
            let topic = uniqueTopic("seek")
            let session = try KafkaSession(configuration: testConfiguration(port: broker.port), logger: testLogger("seek"))
            defer { session.shutdown() }
            #expect(throws: KafkaError.self) { try session.seek([TopicPartitionOffset(topic: topic, partition: 0, offset: .offset(0))]) }
            try await session.createTopic(name: topic, partitions: 1)
            for index in 0..<10 { try await session.send(topic: topic, key: nil, value: Array("m\(index)".utf8)) }
            let received = Collector<ConsumedMessage>()
            try session.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: .offset(8))]) { received.append(contentsOf: $0) }
            #expect(await eventually { received.count == 2 })
            try session.seek([TopicPartitionOffset(topic: topic, partition: 0, offset: .offset(3))])
            #expect(await eventually { received.count == 9 })
            try session.seek([TopicPartitionOffset(topic: topic, partition: 0, offset: .offset(10))])
            try await session.send(topic: topic, key: nil, value: Array("m10".utf8))
            #expect(await eventually { received.count == 10 })
            try await Task.sleep(for: .milliseconds(300))
            #expect(received.values.map(\.offset) == [8, 9, 3, 4, 5, 6, 7, 8, 9, 10])
        }
    }
}
