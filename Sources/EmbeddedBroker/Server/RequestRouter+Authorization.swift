import KafkaWire
import NIOCore

/// What an authenticated connection may do: the principal and the broker's authorizer.
struct Access: Sendable {
    let principal: Principal
    let authorizer: any BrokerAuthorizer

    func may(_ operation: AclOperation, _ resource: AclResource) -> Bool {
        authorizer.authorize(principal, operation, resource)
    }
}

extension RequestRouter {
    /// Handles a request of an authenticated principal, with Kafka's authorization error codes
    /// for the topics and groups it may not use: the request is narrowed to what is allowed,
    /// handled as usual, and the refused parts are put back into the answer, in request order.
    func handleAuthorized(_ request: KafkaRequest, access: Access, clientHost: String,
                          on eventLoop: EventLoop) -> EventLoopFuture<(any KafkaResponseMessage)?> {
        let version = request.header.apiVersion
        func refuseGroup(_ response: any KafkaResponseMessage) -> EventLoopFuture<(any KafkaResponseMessage)?> {
            eventLoop.makeSucceededFuture(response)
        }
        switch request.body {
        case .produce(var body):
            let original = body.topics.map(\.name)
            body.topics = body.topics.filter { access.may(.write, .topic($0.name)) }
            guard body.topics.count != original.count else { return produce(body, on: eventLoop).map { $0 } }
            let denied = request.body.produceTopics.filter { !access.may(.write, .topic($0.name)) }
            return produce(body, on: eventLoop).map { response in
                guard var response else { return nil }
                response.topics += denied.map { topic in
                    .init(name: topic.name, partitions: topic.partitions.map {
                        .init(index: $0.index, errorCode: .topicAuthorizationFailed, baseOffset: -1, logStartOffset: -1)
                    })
                }
                return response
            }
        case .fetch(var body):
            let all = body.topics
            body.topics = all.filter { access.may(.read, .topic($0.topic)) }
            guard body.topics.count != all.count else { return FetchWait.start(body, context: context, on: eventLoop).map { $0 } }
            let denied = all.filter { !access.may(.read, .topic($0.topic)) }.map { topic in
                FetchResponse.Topic(topic: topic.topic, partitions: topic.partitions.map {
                    .init(partitionIndex: $0.partition, errorCode: .topicAuthorizationFailed, highWatermark: -1,
                          logStartOffset: -1, records: [])
                })
            }
            guard !body.topics.isEmpty else { return eventLoop.makeSucceededFuture(FetchResponse(topics: denied)) }
            return FetchWait.start(body, context: context, on: eventLoop).map { response in
                var response = response
                response.topics += denied
                return response
            }
        case .listOffsets(let body):
            var allowed = body
            allowed.topics = body.topics.filter { access.may(.describe, .topic($0.name)) }
            var response = listOffsets(allowed)
            response.topics += body.topics.filter { !access.may(.describe, .topic($0.name)) }.map { topic in
                .init(name: topic.name, partitions: topic.partitions.map {
                    .init(partitionIndex: $0.partitionIndex, errorCode: .topicAuthorizationFailed, offset: -1)
                })
            }
            return eventLoop.makeSucceededFuture(response)
        case .metadata(let body):
            return eventLoop.makeSucceededFuture(metadata(body, version: version, access: access))
        case .offsetCommit(var body):
            guard access.may(.read, .group(body.groupID)) else {
                return refuseGroup(OffsetCommitResponse(topics: body.topics.map { topic in
                    .init(name: topic.name, partitions: topic.partitions.map {
                        .init(partitionIndex: $0.partitionIndex, errorCode: .groupAuthorizationFailed)
                    })
                }))
            }
            let all = body.topics
            body.topics = all.filter { access.may(.read, .topic($0.name)) }
            let denied = all.filter { !access.may(.read, .topic($0.name)) }.map { topic in
                OffsetCommitResponse.Topic(name: topic.name, partitions: topic.partitions.map {
                    .init(partitionIndex: $0.partitionIndex, errorCode: .topicAuthorizationFailed)
                })
            }
            guard !body.topics.isEmpty else { return eventLoop.makeSucceededFuture(OffsetCommitResponse(topics: denied)) }
            return commitOffsets(body, on: eventLoop).map { response in
                var response = response
                response.topics += denied
                return response
            }
        case .offsetFetch(var body):
            guard access.may(.describe, .group(body.groupID)) else {
                var response = OffsetFetchResponse(topics: (body.topics ?? []).map { topic in
                    .init(name: topic.name, partitions: topic.partitionIndexes.map {
                        .init(partitionIndex: $0, committedOffset: -1, metadata: nil, errorCode: .groupAuthorizationFailed)
                    })
                })
                response.errorCode = .groupAuthorizationFailed
                return refuseGroup(response)
            }
            let all = body.topics
            body.topics = all?.filter { access.may(.describe, .topic($0.name)) }
            let denied = (all ?? []).filter { !access.may(.describe, .topic($0.name)) }.map { topic in
                OffsetFetchResponse.Topic(name: topic.name, partitions: topic.partitionIndexes.map {
                    .init(partitionIndex: $0, committedOffset: -1, metadata: nil, errorCode: .topicAuthorizationFailed)
                })
            }
            return context.groups.fetchOffsets(body).map { response in
                var response = response
                // Asked for every topic: only those the principal may see.
                response.topics = response.topics.filter { access.may(.describe, .topic($0.name)) } + denied
                return response
            }
        case .findCoordinator(let body):
            // Key type 0 is a group; 1 (transactions) is refused by the router anyway.
            if body.keyType == 0, !access.may(.describe, .group(body.key)) {
                var response = FindCoordinatorResponse(errorCode: .groupAuthorizationFailed, nodeID: -1, host: "", port: -1)
                response.errorMessage = "not authorized to use group \(TopicStore.shown(body.key))"
                return refuseGroup(response)
            }
        case .joinGroup(let body):
            if !access.may(.read, .group(body.groupID)) {
                return refuseGroup(JoinGroupResponse(errorCode: .groupAuthorizationFailed, memberID: body.memberID))
            }
        case .syncGroup(let body):
            if !access.may(.read, .group(body.groupID)) {
                return refuseGroup(SyncGroupResponse(errorCode: .groupAuthorizationFailed))
            }
        case .heartbeat(let body):
            if !access.may(.read, .group(body.groupID)) {
                return refuseGroup(GroupErrorResponse(errorCode: .groupAuthorizationFailed))
            }
        case .leaveGroup(let body):
            if !access.may(.read, .group(body.groupID)) {
                return refuseGroup(GroupErrorResponse(errorCode: .groupAuthorizationFailed))
            }
        case .describeGroups(var body):
            let all = body.groups
            body.groups = all.filter { access.may(.describe, .group($0)) }
            return context.groups.describe(body).map { response in
                var byID: [String: DescribeGroupsResponse.Group] = [:]
                for group in response.groups { byID[group.groupID] = group }
                return DescribeGroupsResponse(groups: all.map { id in
                    byID[id] ?? .init(errorCode: .groupAuthorizationFailed, groupID: id, state: "", protocolType: "",
                                      protocolData: "", members: [])
                })
            }
        case .listGroups:
            return context.groups.listGroups().map { response in
                var response = response
                response.groups = response.groups.filter { access.may(.describe, .group($0.groupID)) }
                return response
            }
        case .createTopics(var body):
            let all = body.topics
            body.topics = all.filter { access.may(.create, .topic($0.name)) }
            var response = createTopics(body)
            var byName: [String: CreateTopicsResponse.Topic] = [:]
            for topic in response.topics { byName[topic.name] = topic }
            response.topics = all.map { topic in
                byName[topic.name] ?? .init(name: topic.name, errorCode: .topicAuthorizationFailed,
                                            errorMessage: "not authorized to create topic \(TopicStore.shown(topic.name))")
            }
            return eventLoop.makeSucceededFuture(response)
        case .deleteTopics(var body):
            let all = body.topicNames
            body.topicNames = all.filter { access.may(.delete, .topic($0)) }
            return deleteTopics(body, on: eventLoop).map { response in
                var codes: [String: KafkaErrorCode] = [:]
                for result in response.responses { codes[result.name] = result.errorCode }
                return DeleteTopicsResponse(responses: all.map { .init(name: $0, errorCode: codes[$0] ?? .topicAuthorizationFailed) })
            }
        case .initProducerId(let body):
            if body.transactionalID == nil, !access.may(.idempotentWrite, .cluster) {
                return eventLoop.makeSucceededFuture(InitProducerIdResponse(
                    errorCode: .clusterAuthorizationFailed, producerID: -1, producerEpoch: -1))
            }
        case .apiVersions, .saslHandshake, .saslAuthenticate:
            break
        }
        return handleAllowed(request, clientHost: clientHost, on: eventLoop)
    }
}

extension KafkaRequest.Body {
    fileprivate var produceTopics: [ProduceRequest.TopicData] {
        if case .produce(let body) = self { return body.topics }
        return []
    }
}
