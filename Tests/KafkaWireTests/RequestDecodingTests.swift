import KafkaWire
import NIOCore
import Testing

@Suite("Request decoding")
struct RequestDecodingTests {
    @Test func unknownApiKeyThrows() {
        var frame = ByteBuffer()
        RequestHeader(apiKey: 999, apiVersion: 0, correlationID: 1, clientID: nil).write(to: &frame)
        #expect { try KafkaRequest.decode(frame: frame) } throws: { ($0 as? KafkaWireError)?.code == .unknownApiKey }
    }

    @Test func unsupportedVersionThrowsExceptForApiVersions() throws {
        var frame = ByteBuffer()
        RequestHeader(apiKey: ApiKey.metadata.rawValue, apiVersion: 9, correlationID: 1, clientID: nil).write(to: &frame)
        #expect { try KafkaRequest.decode(frame: frame) } throws: { ($0 as? KafkaWireError)?.code == .unsupportedVersion }

        var apiVersions = ByteBuffer()
        RequestHeader(apiKey: 18, apiVersion: 3, correlationID: 5, clientID: "x").write(to: &apiVersions)
        apiVersions.writeBytes([0, 1, 65, 1, 65, 0]) // flexible body we do not parse
        guard case .unsupportedApiVersions(let header) = try KafkaRequest.decode(frame: apiVersions) else {
            Issue.record("expected unsupportedApiVersions")
            return
        }
        #expect(header.correlationID == 5)
    }

    @Test func trailingBytesAreRejected() {
        var frame = MetadataRequest(topics: ["a"]).encodedFrame(version: 1, correlationID: 1)
        frame.writeInteger(UInt8(0))
        #expect { try KafkaRequest.decode(frame: frame) } throws: { ($0 as? KafkaWireError)?.code == .malformed }
    }

    @Test func hostileArrayCountDoesNotAllocate() {
        var frame = ByteBuffer()
        RequestHeader(apiKey: ApiKey.metadata.rawValue, apiVersion: 1, correlationID: 1, clientID: nil).write(to: &frame)
        frame.writeInteger(Int32.max, endianness: .big)
        #expect { try KafkaRequest.decode(frame: frame) } throws: { ($0 as? KafkaWireError)?.code == .invalidLength }
    }

    @Test(arguments: ApiKey.allCases)
    func everyVersionRoundTrips(api: ApiKey) throws {
        for version in api.supportedVersions {
            let message = Self.sample(api, version: version)
            let frame = message.encodedFrame(version: version, correlationID: 77)
            guard case .request(let request) = try KafkaRequest.decode(frame: frame) else {
                Issue.record("\(api) v\(version) did not decode")
                continue
            }
            #expect(request.header.correlationID == 77)
            var again = ByteBuffer()
            request.header.write(to: &again)
            request.body.message.write(to: &again, version: version)
            #expect(again == frame, "\(api) v\(version)")
        }
    }

    static func sample(_ api: ApiKey, version: Int16) -> any KafkaRequestMessage {
        let batch = RecordBatches.build(records: [KafkaRecord(key: Array("k".utf8), value: Array("v".utf8))])
        switch api {
        case .apiVersions: return ApiVersionsRequest()
        case .produce:
            return ProduceRequest(acks: -1, timeoutMs: 1000, topics: [.init(name: "t", partitions: [.init(index: 0, records: batch)])])
        case .fetch:
            return FetchRequest(maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20,
                                topics: [.init(topic: "t", partitions: [.init(partition: 0, fetchOffset: 3, partitionMaxBytes: 1 << 20)])])
        case .listOffsets:
            return ListOffsetsRequest(topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, timestamp: -1)])])
        case .metadata: return MetadataRequest(topics: version == 0 ? nil : ["a", "b"], allowAutoTopicCreation: version >= 4 ? false : true)
        case .offsetCommit:
            return OffsetCommitRequest(groupID: "g", generationID: version >= 1 ? 3 : -1, memberID: version >= 1 ? "m" : "",
                                       topics: [.init(name: "t", partitions: [.init(partitionIndex: 1, committedOffset: 42, committedMetadata: "md")])])
        case .offsetFetch:
            return OffsetFetchRequest(groupID: "g", topics: version >= 2 ? nil : [.init(name: "t", partitionIndexes: [0, 1])])
        case .findCoordinator: return FindCoordinatorRequest(key: "g", keyType: 0)
        case .joinGroup:
            return JoinGroupRequest(groupID: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: version >= 1 ? 20_000 : 10_000,
                                    memberID: "", protocolType: "consumer",
                                    protocols: [.init(name: "range", metadata: ByteBuffer(bytes: [0, 1, 2]))])
        case .heartbeat: return HeartbeatRequest(groupID: "g", generationID: 2, memberID: "m")
        case .leaveGroup: return LeaveGroupRequest(groupID: "g", memberID: "m")
        case .syncGroup:
            return SyncGroupRequest(groupID: "g", generationID: 2, memberID: "m",
                                    assignments: [.init(memberID: "m", assignment: ByteBuffer(bytes: [9]))])
        case .describeGroups: return DescribeGroupsRequest(groups: ["g", "h"])
        case .listGroups: return ListGroupsRequest()
        case .createTopics: return CreateTopicsRequest(topics: [.init(name: "t", numPartitions: 3, replicationFactor: 1)], timeoutMs: 5000)
        case .deleteTopics: return DeleteTopicsRequest(topicNames: ["t"], timeoutMs: 5000)
        case .initProducerId: return InitProducerIdRequest(transactionalID: nil, transactionTimeoutMs: 60_000)
        case .saslHandshake: return SaslHandshakeRequest(mechanism: "PLAIN")
        case .saslAuthenticate: return SaslAuthenticateRequest(authBytes: ByteBuffer(string: "\u{0}alice\u{0}pw"))
        }
    }
}
