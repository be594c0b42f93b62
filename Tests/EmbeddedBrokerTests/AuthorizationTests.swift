import KafkaWire
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing
@testable import EmbeddedBroker
import TestSupport

/// Allows what is listed, as `operation resource` strings ("Write topic t", "Read group g").
private struct ListAuthorizer: BrokerAuthorizer {
    let allowed: Set<String>
    func authorize(_ principal: Principal, _ operation: AclOperation, _ resource: AclResource) -> Bool {
        let what = switch resource {
        case .topic(let name): "topic \(name)"
        case .group(let name): "group \(name)"
        case .cluster: "cluster"
        }
        return allowed.contains("\(operation.rawValue) \(what)")
    }
}

/// alice / secret pw (PLAIN) and the token "good" (OAUTHBEARER); counts the checks.
private final class TestAuthenticator: BrokerAuthenticator {
    let checks = Mutex(0)
    func authenticate(plain user: String, password: String) async -> Principal? {
        checks.withLock { $0 += 1 }
        return user == "alice" && password == "secret pw" ? Principal(name: "alice", kind: .user) : nil
    }
    func authenticate(bearer token: String) async -> Principal? {
        checks.withLock { $0 += 1 }
        return token == "good" ? Principal(name: "alice", kind: .user) : nil
    }
}

private let alice = Principal(name: "alice", kind: .user)

@Suite("Authorization: Kafka's error codes per topic and group")
struct AuthorizationTests {
    private func withContext(allowed: Set<String>, _ body: (BrokerContext, EventLoop) async throws -> Void) async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group) { configuration in
            configuration.authorizer = ListAuthorizer(allowed: allowed)
        }
        _ = context.topics.create("secret", partitions: 1)
        do {
            try await body(context, group.next())
        } catch {
            await context.syncer.shutdown()
            try await group.shutdownGracefully()
            throw error
        }
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }

    private func handle(_ body: KafkaRequest.Body, _ context: BrokerContext, on loop: EventLoop, version: Int16,
                        as principal: Principal? = alice) async throws -> (any KafkaResponseMessage)? {
        let request = KafkaRequest(header: RequestHeader(apiKey: 0, apiVersion: version, correlationID: 1, clientID: "test"),
                                   body: body)
        return try await RequestRouter(context: context).handle(request, principal: principal, clientHost: "h", on: loop).get()
    }

    private func batch() -> ByteBuffer {
        RecordBatches.build(records: [KafkaRecord(key: nil, value: Array("x".utf8))])
    }

    @Test func produceToAnUnwritableTopicIs29AndNothingIsAppended() async throws {
        try await withContext(allowed: ["Write topic t"]) { context, loop in
            let request = ProduceRequest(acks: 1, timeoutMs: 1000, topics: [
                .init(name: "secret", partitions: [.init(index: 0, records: batch())]),
                .init(name: "t", partitions: [.init(index: 0, records: batch())]),
            ])
            let response = try #require(try await handle(.produce(request), context, on: loop, version: 7) as? ProduceResponse)
            let codes = Dictionary(uniqueKeysWithValues: response.topics.map { ($0.name, $0.partitions[0].errorCode) })
            #expect(codes == ["secret": .topicAuthorizationFailed, "t": .none])
            #expect(context.topics.partition("secret", 0)?.highWatermark == 0)
            #expect(context.topics.partition("t", 0)?.highWatermark == 1)
            // Without a principal (no authentication configured) nothing is checked.
            let open = try #require(try await handle(.produce(request), context, on: loop, version: 7, as: nil) as? ProduceResponse)
            #expect(open.topics.allSatisfy { $0.partitions[0].errorCode == .none })
        }
    }

    @Test func fetchListOffsetsAndMetadata() async throws {
        try await withContext(allowed: ["Read topic t", "Describe topic t"]) { context, loop in
            let fetch = FetchRequest(maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, topics: [
                .init(topic: "secret", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)]),
            ])
            let fetched = try #require(try await handle(.fetch(fetch), context, on: loop, version: 11) as? FetchResponse)
            #expect(fetched.topics.map(\.partitions[0].errorCode) == [.topicAuthorizationFailed])

            let list = ListOffsetsRequest(topics: [.init(name: "secret", partitions: [.init(partitionIndex: 0, timestamp: -1)]),
                                                   .init(name: "t", partitions: [.init(partitionIndex: 0, timestamp: -1)])])
            let offsets = try #require(try await handle(.listOffsets(list), context, on: loop, version: 2) as? ListOffsetsResponse)
            #expect(Dictionary(uniqueKeysWithValues: offsets.topics.map { ($0.name, $0.partitions[0].errorCode) })
                == ["secret": .topicAuthorizationFailed, "t": .none])

            let all = try #require(try await handle(.metadata(.init(topics: nil)), context, on: loop, version: 4) as? MetadataResponse)
            #expect(all.topics.map(\.name) == ["t"], "listing every topic shows only the describable ones")
            let named = try #require(try await handle(.metadata(.init(topics: ["secret", "new"])), context, on: loop,
                                                      version: 4) as? MetadataResponse)
            #expect(named.topics.map(\.errorCode) == [.topicAuthorizationFailed, .topicAuthorizationFailed])
            #expect(context.topics.partitions(of: "new") == nil, "no auto-create without Create")
        }
    }

    @Test func metadataAutoCreatesOnlyWithCreate() async throws {
        try await withContext(allowed: ["Describe topic new", "Create topic new"]) { context, loop in
            let named = try #require(try await handle(.metadata(.init(topics: ["new"])), context, on: loop, version: 4) as? MetadataResponse)
            #expect(named.topics.map(\.errorCode) == [.none])
            #expect(context.topics.partitions(of: "new") != nil)
        }
    }

    @Test func groupRequestsWithoutReadOnTheGroupAre30() async throws {
        try await withContext(allowed: ["Read topic t", "Describe topic t", "Read group mine", "Describe group mine"]) { context, loop in
            let find = try #require(try await handle(.findCoordinator(.init(key: "theirs")), context, on: loop, version: 2)
                as? FindCoordinatorResponse)
            #expect(find.errorCode == .groupAuthorizationFailed)
            let join = JoinGroupRequest(groupID: "theirs", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberID: "",
                                        protocolType: "consumer", protocols: [.init(name: "range", metadata: ByteBuffer())])
            let joined = try #require(try await handle(.joinGroup(join), context, on: loop, version: 5) as? JoinGroupResponse)
            #expect(joined.errorCode == .groupAuthorizationFailed)
            let sync = try #require(try await handle(.syncGroup(.init(groupID: "theirs", generationID: 1, memberID: "m", assignments: [])),
                                                     context, on: loop, version: 3) as? SyncGroupResponse)
            #expect(sync.errorCode == .groupAuthorizationFailed)
            let beat = try #require(try await handle(.heartbeat(.init(groupID: "theirs", generationID: 1, memberID: "m")),
                                                     context, on: loop, version: 3) as? GroupErrorResponse)
            #expect(beat.errorCode == .groupAuthorizationFailed)
            let leave = try #require(try await handle(.leaveGroup(.init(groupID: "theirs", memberID: "m")), context, on: loop,
                                                      version: 1) as? GroupErrorResponse)
            #expect(leave.errorCode == .groupAuthorizationFailed)
            let commit = OffsetCommitRequest(groupID: "theirs", topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 0)])])
            let committed = try #require(try await handle(.offsetCommit(commit), context, on: loop, version: 7) as? OffsetCommitResponse)
            #expect(committed.topics[0].partitions[0].errorCode == .groupAuthorizationFailed)
            let fetchOffsets = try #require(try await handle(.offsetFetch(.init(groupID: "theirs", topics: nil)), context, on: loop,
                                                             version: 5) as? OffsetFetchResponse)
            #expect(fetchOffsets.errorCode == .groupAuthorizationFailed)
            let described = try #require(try await handle(.describeGroups(.init(groups: ["theirs", "mine"])), context, on: loop,
                                                          version: 4) as? DescribeGroupsResponse)
            #expect(described.groups.map(\.errorCode) == [.groupAuthorizationFailed, .none])

            // In a group it may use: topics it may not read are 29, the others committed.
            let mixed = OffsetCommitRequest(groupID: "mine", topics: [
                .init(name: "secret", partitions: [.init(partitionIndex: 0, committedOffset: 0)]),
                .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 0)]),
            ])
            let mixedAnswer = try #require(try await handle(.offsetCommit(mixed), context, on: loop, version: 7) as? OffsetCommitResponse)
            #expect(Dictionary(uniqueKeysWithValues: mixedAnswer.topics.map { ($0.name, $0.partitions[0].errorCode) })
                == ["secret": .topicAuthorizationFailed, "t": .none])
            let mine = try #require(try await handle(.listGroups(.init()), context, on: loop, version: 2) as? ListGroupsResponse)
            #expect(mine.groups.map(\.groupID) == ["mine"], "ListGroups shows only describable groups")
            // The open view lists both.
            _ = try await handle(.offsetCommit(.init(groupID: "theirs", topics: commit.topics)), context, on: loop, version: 7, as: nil)
            let everyone = try #require(try await handle(.listGroups(.init()), context, on: loop, version: 2, as: nil) as? ListGroupsResponse)
            #expect(Set(everyone.groups.map(\.groupID)) == ["mine", "theirs"])
        }
    }

    @Test func createDeleteAndIdempotentProducers() async throws {
        try await withContext(allowed: ["Create topic mine", "Delete topic mine"]) { context, loop in
            let create = CreateTopicsRequest(topics: [.init(name: "mine", numPartitions: 1, replicationFactor: 1),
                                                      .init(name: "theirs", numPartitions: 1, replicationFactor: 1)], timeoutMs: 1000)
            let created = try #require(try await handle(.createTopics(create), context, on: loop, version: 4) as? CreateTopicsResponse)
            #expect(created.topics.map(\.errorCode) == [.none, .topicAuthorizationFailed])
            #expect(context.topics.partitions(of: "theirs") == nil)
            let deleted = try #require(try await handle(.deleteTopics(.init(topicNames: ["secret", "mine"], timeoutMs: 1000)), context,
                                                        on: loop, version: 1) as? DeleteTopicsResponse)
            #expect(deleted.responses.map(\.errorCode) == [.topicAuthorizationFailed, .none])
            #expect(context.topics.partitions(of: "secret") != nil)
            let producer = try #require(try await handle(.initProducerId(.init(transactionalID: nil, transactionTimeoutMs: 1000)), context,
                                                         on: loop, version: 1) as? InitProducerIdResponse)
            #expect(producer.errorCode == .clusterAuthorizationFailed)
        }
    }
}

@Suite("Authentication through the connection handler")
struct ConnectionAuthenticationTests {
    private func withHandler(_ body: (EmbeddedChannel, TestAuthenticator) async throws -> Void) async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group) { $0.authorizer = ListAuthorizer(allowed: ["Describe topic t"]) }
        let authenticator = TestAuthenticator()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(KafkaConnectionHandler(
            router: RequestRouter(context: context), logger: Logger(label: "test"), authenticator: authenticator))
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).get()
        try await body(channel, authenticator)
        _ = try? channel.finish()
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }

    /// Runs the embedded loop until an answer is written (checks and routing hop through other threads).
    private func answer(_ channel: EmbeddedChannel) async throws -> ByteBuffer? {
        for _ in 0..<500 {
            channel.embeddedEventLoop.run()
            if let out = try channel.readOutbound(as: ByteBuffer.self) { return out }
            if !channel.isActive { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    private func decode<R>(_ frame: ByteBuffer?, _ read: (inout ByteBuffer) throws -> R) throws -> R {
        var frame = try #require(frame)
        frame.moveReaderIndex(forwardBy: 8)  // size, correlation id
        return try read(&frame)
    }

    @Test func plainLoginThenRequestsAreAnsweredAsThePrincipal() async throws {
        try await withHandler { channel, authenticator in
            try channel.writeInbound(ApiVersionsRequest().encodedFrame(version: 2, correlationID: 1))
            #expect(try await answer(channel) != nil)
            try channel.writeInbound(SaslHandshakeRequest(mechanism: "PLAIN").encodedFrame(version: 1, correlationID: 2))
            let shake = try decode(try await answer(channel)) { try SaslHandshakeResponse(from: &$0, version: 1) }
            #expect(shake == SaslHandshakeResponse(errorCode: .none, mechanisms: ["PLAIN", "OAUTHBEARER"]))
            try channel.writeInbound(SaslAuthenticateRequest(authBytes: ByteBuffer(string: "\0alice\0secret pw"))
                .encodedFrame(version: 1, correlationID: 3))
            let auth = try decode(try await answer(channel)) { try SaslAuthenticateResponse(from: &$0, version: 1) }
            #expect(auth.errorCode == .none)
            try channel.writeInbound(MetadataRequest(topics: nil).encodedFrame(version: 4, correlationID: 4))
            let metadata = try await answer(channel)
            #expect(metadata != nil, "metadata is answered after authentication")
            #expect(channel.isActive)
            #expect(authenticator.checks.withLock { $0 } == 1)
        }
    }

    @Test func wrongPasswordIsAnswered58AndClosed() async throws {
        try await withHandler { channel, _ in
            try channel.writeInbound(SaslHandshakeRequest(mechanism: "PLAIN").encodedFrame(version: 1, correlationID: 1))
            _ = try await answer(channel)
            try channel.writeInbound(SaslAuthenticateRequest(authBytes: ByteBuffer(string: "\0alice\0wrong"))
                .encodedFrame(version: 1, correlationID: 2))
            let auth = try decode(try await answer(channel)) { try SaslAuthenticateResponse(from: &$0, version: 1) }
            #expect(auth.errorCode == .saslAuthenticationFailed)
            for _ in 0..<100 where channel.isActive {
                channel.embeddedEventLoop.run()
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(!channel.isActive, "closed after the refusal")
        }
    }

    @Test func aRequestBeforeAuthenticationClosesWithoutAnswer() async throws {
        try await withHandler { channel, authenticator in
            try channel.writeInbound(MetadataRequest(topics: nil).encodedFrame(version: 4, correlationID: 1))
            #expect(try await answer(channel) == nil)
            #expect(!channel.isActive)
            #expect(authenticator.checks.withLock { $0 } == 0)
        }
    }

    @Test func pipelinedRequestsWaitForTheCheckAndAreAnsweredInOrder() async throws {
        try await withHandler { channel, _ in
            // librdkafka does not pipeline during authentication, but a hostile client may: the
            // Metadata behind the SaslAuthenticate is handled only once the check is done.
            try channel.writeInbound(SaslHandshakeRequest(mechanism: "OAUTHBEARER").encodedFrame(version: 1, correlationID: 1))
            try channel.writeInbound(SaslAuthenticateRequest(authBytes: ByteBuffer(string: "n,,\u{1}auth=Bearer good\u{1}\u{1}"))
                .encodedFrame(version: 1, correlationID: 2))
            try channel.writeInbound(MetadataRequest(topics: ["t"]).encodedFrame(version: 4, correlationID: 3))
            var ids: [Int32] = []
            for _ in 0..<3 {
                var frame = try #require(try await answer(channel))
                frame.moveReaderIndex(forwardBy: 4)
                ids.append(frame.readInteger()!)
            }
            #expect(ids == [1, 2, 3])
            #expect(channel.isActive)
        }
    }
}
