import KafkaWire
import NIOCore

extension RequestRouter {
    func metadata(_ request: MetadataRequest, version: Int16) -> MetadataResponse {
        let names = request.topics ?? context.topics.names
        let topics = names.map { name -> MetadataResponse.Topic in
            var partitions = context.topics.partitions(of: name)
            if partitions == nil, request.topics != nil, request.allowAutoTopicCreation, context.configuration.autoCreateTopics {
                let (code, message) = context.topics.create(name, partitions: context.configuration.defaultPartitions)
                if code == .none {
                    context.logger.info("auto-created topic \(name) with \(context.configuration.defaultPartitions) partitions")
                } else if code != .topicAlreadyExists {
                    context.logger.warning("auto-create of '\(name)' refused: \(message ?? "")")
                    return .init(errorCode: code, name: name, partitions: [])
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
        return MetadataResponse(
            brokers: [.init(nodeID: context.configuration.nodeID, host: context.advertisedHost, port: context.advertisedPort)],
            clusterID: context.configuration.clusterID, controllerID: context.configuration.nodeID, topics: topics)
    }

    func createTopics(_ request: CreateTopicsRequest) -> CreateTopicsResponse {
        CreateTopicsResponse(topics: request.topics.map { topic in
            let count = !topic.assignments.isEmpty ? topic.assignments.count
                : topic.numPartitions == -1 ? context.configuration.defaultPartitions : Int(topic.numPartitions)
            guard topic.replicationFactor == -1 || topic.replicationFactor == 1 || !topic.assignments.isEmpty else {
                return .init(name: topic.name, errorCode: .invalidReplicationFactor,
                             errorMessage: "replication factor \(topic.replicationFactor) > 1 on a single-node broker")
            }
            if request.validateOnly {
                if context.topics.partitions(of: topic.name) != nil {
                    return .init(name: topic.name, errorCode: .topicAlreadyExists, errorMessage: "topic '\(topic.name)' already exists")
                }
                return .init(name: topic.name, errorCode: TopicStore.isValidName(topic.name) ? .none : .invalidTopicException)
            }
            let (code, message) = context.topics.create(topic.name, partitions: count)
            if code == .none { context.logger.info("created topic \(topic.name) with \(count) partitions") }
            return .init(name: topic.name, errorCode: code, errorMessage: message)
        })
    }

    func deleteTopics(_ request: DeleteTopicsRequest) -> DeleteTopicsResponse {
        DeleteTopicsResponse(responses: request.topicNames.map { name in
            let code = context.topics.delete(name)
            if code == .none {
                context.groups.topicDeleted(name)
                context.logger.info("deleted topic \(name)")
            }
            return .init(name: name, errorCode: code)
        })
    }
}
