import KafkaWire
import NIOCore

/// Turns each decoded request into its response. `nil` means no response (Produce with acks=0).
struct RequestRouter: Sendable {
    let context: BrokerContext

    /// `principal`: who the connection authenticated as (nil without authentication); with an
    /// authorizer configured, its requests are checked against it.
    func handle(_ request: KafkaRequest, principal: Principal? = nil, clientHost: String,
                on eventLoop: EventLoop) -> EventLoopFuture<(any KafkaResponseMessage)?> {
        if let principal, let authorizer = context.configuration.authorizer {
            return handleAuthorized(request, access: Access(principal: principal, authorizer: authorizer),
                                    clientHost: clientHost, on: eventLoop)
        }
        return handleAllowed(request, clientHost: clientHost, on: eventLoop)
    }

    /// Handles a request that is allowed (or not checked).
    func handleAllowed(_ request: KafkaRequest, clientHost: String,
                       on eventLoop: EventLoop) -> EventLoopFuture<(any KafkaResponseMessage)?> {
        let version = request.header.apiVersion
        switch request.body {
        case .saslHandshake:
            // Reached only without authentication configured (the connection's state machine
            // answers SASL otherwise): as a Kafka PLAINTEXT listener, no SASL here.
            return eventLoop.makeSucceededFuture(SaslHandshakeResponse(errorCode: .illegalSaslState, mechanisms: []))
        case .saslAuthenticate:
            return eventLoop.makeSucceededFuture(SaslAuthenticateResponse(
                errorCode: .illegalSaslState, errorMessage: "this broker does not use SASL authentication"))
        case .apiVersions:
            return eventLoop.makeSucceededFuture(ApiVersionsResponse.supported)
        case .metadata(let body):
            return eventLoop.makeSucceededFuture(metadata(body, version: version))
        case .produce(let body):
            return produce(body, on: eventLoop).map { $0 }
        case .fetch(let body):
            return FetchWait.start(body, context: context, on: eventLoop).map { $0 }
        case .listOffsets(let body):
            return eventLoop.makeSucceededFuture(listOffsets(body))
        case .findCoordinator:
            return eventLoop.makeSucceededFuture(FindCoordinatorResponse(
                errorCode: .none, nodeID: context.configuration.nodeID, host: context.advertisedHost, port: context.advertisedPort))
        case .joinGroup(let body):
            return context.groups.join(body, version: version, clientID: request.header.clientID ?? "",
                                       clientHost: clientHost).map { $0 }
        case .syncGroup(let body):
            return context.groups.sync(body).map { $0 }
        case .heartbeat(let body):
            return context.groups.heartbeat(body).map { GroupErrorResponse(errorCode: $0) }
        case .leaveGroup(let body):
            return context.groups.leave(body).map { GroupErrorResponse(errorCode: $0) }
        case .offsetCommit(let body):
            return commitOffsets(body, on: eventLoop).map { $0 }
        case .offsetFetch(let body):
            return context.groups.fetchOffsets(body).map { $0 }
        case .listGroups:
            return context.groups.listGroups().map { $0 }
        case .describeGroups(let body):
            return context.groups.describe(body).map { $0 }
        case .createTopics(let body):
            return eventLoop.makeSucceededFuture(createTopics(body))
        case .deleteTopics(let body):
            return deleteTopics(body, on: eventLoop).map { $0 }
        case .initProducerId(let body):
            // Transactions are not implemented: a transactional producer is refused at once with a
            // fatal error, instead of waiting in vain for a transaction coordinator.
            if let transactionalID = body.transactionalID {
                context.logger.warning("refused transactional producer \(TopicStore.shown(transactionalID)): transactions are not supported")
                return eventLoop.makeSucceededFuture(InitProducerIdResponse(
                    errorCode: .transactionalIdAuthorizationFailed, producerID: -1, producerEpoch: -1))
            }
            return eventLoop.makeSucceededFuture(InitProducerIdResponse(
                errorCode: .none, producerID: context.nextProducerID(), producerEpoch: 0))
        }
    }

    /// OffsetCommit: partitions that do not exist get UNKNOWN_TOPIC_OR_PARTITION, as Kafka answers,
    /// and are not stored (so the offsets file grows only with real partitions).
    func commitOffsets(_ request: OffsetCommitRequest, on eventLoop: EventLoop) -> EventLoopFuture<OffsetCommitResponse> {
        var known = request
        known.topics = request.topics.compactMap { topic in
            let partitions = topic.partitions.filter { context.topics.partition(topic.name, $0.partitionIndex) != nil }
            return partitions.isEmpty ? nil : .init(name: topic.name, partitions: partitions)
        }
        guard known.topics.count != request.topics.count
            || zip(known.topics, request.topics).contains(where: { $0.partitions.count != $1.partitions.count }) else {
            return context.groups.commit(request)
        }
        return context.groups.commit(known).hop(to: eventLoop).map { committed in
            var codes: [String: [Int32: KafkaErrorCode]] = [:]
            for topic in committed.topics {
                for partition in topic.partitions { codes[topic.name, default: [:]][partition.partitionIndex] = partition.errorCode }
            }
            return OffsetCommitResponse(topics: request.topics.map { topic in
                .init(name: topic.name, partitions: topic.partitions.map {
                    .init(partitionIndex: $0.partitionIndex,
                          errorCode: codes[topic.name]?[$0.partitionIndex] ?? .unknownTopicOrPartition)
                })
            })
        }
    }
}
