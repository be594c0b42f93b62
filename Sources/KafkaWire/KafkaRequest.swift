import NIOCore

/// A decoded request: its header and its typed body.
public struct KafkaRequest: Sendable, Equatable {
    public enum Body: Sendable, Equatable {
        case apiVersions(ApiVersionsRequest)
        case produce(ProduceRequest)
        case fetch(FetchRequest)
        case listOffsets(ListOffsetsRequest)
        case metadata(MetadataRequest)
        case offsetCommit(OffsetCommitRequest)
        case offsetFetch(OffsetFetchRequest)
        case findCoordinator(FindCoordinatorRequest)
        case joinGroup(JoinGroupRequest)
        case heartbeat(HeartbeatRequest)
        case leaveGroup(LeaveGroupRequest)
        case syncGroup(SyncGroupRequest)
        case describeGroups(DescribeGroupsRequest)
        case listGroups(ListGroupsRequest)
        case createTopics(CreateTopicsRequest)
        case deleteTopics(DeleteTopicsRequest)
        case initProducerId(InitProducerIdRequest)
        case saslHandshake(SaslHandshakeRequest)
        case saslAuthenticate(SaslAuthenticateRequest)
    }

    public var header: RequestHeader
    public var body: Body

    public init(header: RequestHeader, body: Body) {
        self.header = header
        self.body = body
    }

    /// What a frame turned out to be.
    public enum Decoded: Sendable, Equatable {
        case request(KafkaRequest)
        /// An ApiVersions request at a version we do not speak (e.g. v3 from librdkafka). The
        /// client expects a v0 body with UNSUPPORTED_VERSION and will retry at a version we list.
        case unsupportedApiVersions(RequestHeader)
    }

    /// Decodes one frame (without its size prefix). Unknown APIs, unsupported versions (other than
    /// ApiVersions) and malformed bodies throw: the caller closes the connection.
    public static func decode(frame: ByteBuffer) throws -> Decoded {
        var buffer = frame
        let header = try RequestHeader(from: &buffer)
        guard let apiKey = ApiKey(rawValue: header.apiKey) else {
            throw KafkaWireError(.unknownApiKey, "api key \(header.apiKey)")
        }
        guard apiKey.supportedVersions.contains(header.apiVersion) else {
            if apiKey == .apiVersions, header.apiVersion > apiKey.supportedVersions.upperBound {
                return .unsupportedApiVersions(header)
            }
            throw KafkaWireError(.unsupportedVersion, "\(apiKey) v\(header.apiVersion)")
        }
        let version = header.apiVersion
        let body: Body
        switch apiKey {
        case .apiVersions: body = .apiVersions(try .init(from: &buffer, version: version))
        case .produce: body = .produce(try .init(from: &buffer, version: version))
        case .fetch: body = .fetch(try .init(from: &buffer, version: version))
        case .listOffsets: body = .listOffsets(try .init(from: &buffer, version: version))
        case .metadata: body = .metadata(try .init(from: &buffer, version: version))
        case .offsetCommit: body = .offsetCommit(try .init(from: &buffer, version: version))
        case .offsetFetch: body = .offsetFetch(try .init(from: &buffer, version: version))
        case .findCoordinator: body = .findCoordinator(try .init(from: &buffer, version: version))
        case .joinGroup: body = .joinGroup(try .init(from: &buffer, version: version))
        case .heartbeat: body = .heartbeat(try .init(from: &buffer, version: version))
        case .leaveGroup: body = .leaveGroup(try .init(from: &buffer, version: version))
        case .syncGroup: body = .syncGroup(try .init(from: &buffer, version: version))
        case .describeGroups: body = .describeGroups(try .init(from: &buffer, version: version))
        case .listGroups: body = .listGroups(try .init(from: &buffer, version: version))
        case .createTopics: body = .createTopics(try .init(from: &buffer, version: version))
        case .deleteTopics: body = .deleteTopics(try .init(from: &buffer, version: version))
        case .initProducerId: body = .initProducerId(try .init(from: &buffer, version: version))
        case .saslHandshake: body = .saslHandshake(try .init(from: &buffer, version: version))
        case .saslAuthenticate: body = .saslAuthenticate(try .init(from: &buffer, version: version))
        }
        guard buffer.readableBytes == 0 else {
            throw KafkaWireError(.malformed, "\(buffer.readableBytes) trailing bytes after \(apiKey) v\(version)")
        }
        return .request(KafkaRequest(header: header, body: body))
    }
}
