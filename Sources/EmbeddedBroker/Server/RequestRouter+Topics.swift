import KafkaWire
import NIOCore

extension RequestRouter {
    /// With `access`: a request for every topic lists only the topics the principal may describe;
    /// a named topic it may not describe gets TOPIC_AUTHORIZATION_FAILED; auto-create needs Create.
    func metadata(_ request: MetadataRequest, version: Int16, access: Access? = nil) -> MetadataResponse {
        let names = request.topics ?? context.topics.names.filter { access?.may(.describe, .topic($0)) ?? true }
        var refused: [KafkaErrorCode: (count: Int, example: String, message: String)] = [:]
        let topics = names.map { name -> MetadataResponse.Topic in
            if let access, !access.may(.describe, .topic(name)) {
                return .init(errorCode: .topicAuthorizationFailed, name: name, partitions: [])
            }
            var partitions = context.topics.partitions(of: name)
            if partitions == nil, request.topics != nil, request.allowAutoTopicCreation, context.configuration.autoCreateTopics,
               access?.may(.create, .topic(name)) ?? true {
                let (code, message) = context.topics.create(name, partitions: context.configuration.defaultPartitions)
                if code == .none {
                    context.logger.info("auto-created topic \(name) with \(context.configuration.defaultPartitions) partitions")
                } else if code != .topicAlreadyExists {
                    // One log line per request, however many topics it names.
                    refused[code, default: (0, TopicStore.shown(name), message ?? "")].count += 1
                    // Past the topic limit the topic simply does not exist, as without auto-create.
                    let answer: KafkaErrorCode = code == .policyViolation ? .unknownTopicOrPartition : code
                    return .init(errorCode: answer, name: name, partitions: [])
                }
                partitions = context.topics.partitions(of: name)
            }
            guard let partitions else {
                let code: KafkaErrorCode = TopicStore.isValidName(name) ? .unknownTopicOrPartition : .invalidTopicException
                return .init(errorCode: code, name: name, partitions: [])
            }
            return .init(errorCode: .none, name: name, partitions: partitions.map {
                .init(errorCode: .none, partitionIndex: $0.partition, leaderID: context.configuration.nodeID)
            })
        }
        for (code, what) in refused {
            context.logger.warning("auto-create refused for \(what.count) topic(s), e.g. \(what.example): \(what.message) (\(code))")
        }
        return MetadataResponse(
            brokers: [.init(nodeID: context.configuration.nodeID, host: context.advertisedHost, port: context.advertisedPort)],
            clusterID: context.configuration.clusterID, controllerID: context.configuration.nodeID, topics: topics)
    }

    func createTopics(_ request: CreateTopicsRequest) -> CreateTopicsResponse {
        CreateTopicsResponse(topics: request.topics.map { topic in
            let count = !topic.assignments.isEmpty ? topic.assignments.count
                : topic.numPartitions == -1 ? context.configuration.defaultPartitions : Int(topic.numPartitions) // safe: widening
            guard topic.replicationFactor == -1 || topic.replicationFactor == 1 || !topic.assignments.isEmpty else {
                return .init(name: topic.name, errorCode: .invalidReplicationFactor,
                             errorMessage: "replication factor \(topic.replicationFactor) > 1 on a single-node broker")
            }
            let (code, message) = request.validateOnly
                ? context.topics.check(topic.name, partitions: count)
                : context.topics.create(topic.name, partitions: count)
            if code == .none, !request.validateOnly {
                context.logger.info("created topic \(topic.name) with \(count) partitions")
            } else if code != .none, code != .topicAlreadyExists {
                context.logger.warning("CreateTopics of \(TopicStore.shown(topic.name)) refused: \(message ?? "") (\(code))")
            }
            return .init(name: topic.name, errorCode: code, errorMessage: message)
        })
    }

    /// Deletes the topics, and answers once their committed offsets are durably forgotten (so
    /// they do not come back after a restart).
    func deleteTopics(_ request: DeleteTopicsRequest, on eventLoop: EventLoop) -> EventLoopFuture<DeleteTopicsResponse> {
        var deleted: [String] = []
        let response = DeleteTopicsResponse(responses: request.topicNames.map { name in
            let code = context.topics.delete(name)
            if code == .none {
                deleted.append(name)
                context.logger.info("deleted topic \(name)")
            }
            return .init(name: name, errorCode: code)
        })
        guard !deleted.isEmpty else { return eventLoop.makeSucceededFuture(response) }
        return context.groups.topicsDeleted(deleted).hop(to: eventLoop).map { response }.recover { [context] error in
            context.logger.error("forgetting the committed offsets of deleted topics failed: \(error)")
            return response
        }
    }
}
