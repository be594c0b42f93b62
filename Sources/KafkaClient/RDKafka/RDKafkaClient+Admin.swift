import CRDKafka

extension RDKafkaClient {
    /// `rd_kafka_CreateTopics` for one topic, waiting for the result up to `timeoutMilliseconds`.
    func createTopic(name: String, partitions: Int32, replicationFactor: Int32, timeoutMilliseconds: Int32) throws(KafkaError) {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        guard let newTopic = rd_kafka_NewTopic_new(name, partitions, replicationFactor, &errorBuffer, errorBuffer.count) else {
            throw KafkaError.invalidArgument(String(cBuffer: errorBuffer))
        }
        defer { rd_kafka_NewTopic_destroy(newTopic) }
        try runAdmin(
            operation: RD_KAFKA_ADMIN_OP_CREATETOPICS,
            expecting: Int32(RD_KAFKA_EVENT_CREATETOPICS_RESULT),  // safe: a C constant, or widening Int32 -> Int
            timeoutMilliseconds: timeoutMilliseconds,
            start: { options, queue in
                var topics: [OpaquePointer?] = [newTopic]
                rd_kafka_CreateTopics(handle, &topics, 1, options, queue)
            },
            results: { event in
                var count = 0
                let results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count)
                return (results, count)
            }
        )
    }

    /// `rd_kafka_DeleteTopics` for one topic, waiting for the result up to `timeoutMilliseconds`.
    func deleteTopic(name: String, timeoutMilliseconds: Int32) throws(KafkaError) {
        guard let deleteTopic = rd_kafka_DeleteTopic_new(name) else {
            throw KafkaError.invalidArgument("invalid topic name '\(name)'")
        }
        defer { rd_kafka_DeleteTopic_destroy(deleteTopic) }
        try runAdmin(
            operation: RD_KAFKA_ADMIN_OP_DELETETOPICS,
            expecting: Int32(RD_KAFKA_EVENT_DELETETOPICS_RESULT),  // safe: a C constant, or widening Int32 -> Int
            timeoutMilliseconds: timeoutMilliseconds,
            start: { options, queue in
                var topics: [OpaquePointer?] = [deleteTopic]
                rd_kafka_DeleteTopics(handle, &topics, 1, options, queue)
            },
            results: { event in
                var count = 0
                let results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count)
                return (results, count)
            }
        )
    }

    /// Shared plumbing of the topic admin calls: options with timeouts, a private
    /// result queue, and mapping of the per-topic results.
    private func runAdmin(
        operation: rd_kafka_admin_op_t,
        expecting eventType: Int32,
        timeoutMilliseconds: Int32,
        start: (OpaquePointer?, OpaquePointer?) -> Void,
        results: (OpaquePointer?) -> (UnsafeMutablePointer<OpaquePointer?>?, Int)
    ) throws(KafkaError) {
        guard let options = rd_kafka_AdminOptions_new(handle, operation) else {
            throw KafkaError(code: .unsupported, reason: "admin operation not supported by librdkafka")
        }
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let timeout = max(timeoutMilliseconds, 1)
        if rd_kafka_AdminOptions_set_request_timeout(options, timeout, &errorBuffer, errorBuffer.count) != RD_KAFKA_RESP_ERR_NO_ERROR
            || rd_kafka_AdminOptions_set_operation_timeout(options, timeout, &errorBuffer, errorBuffer.count) != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.invalidArgument(String(cBuffer: errorBuffer))
        }

        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        start(options, queue)

        // librdkafka itself enforces the request timeout; the extra second only
        // guards against a result that never comes.
        guard let event = rd_kafka_queue_poll(queue, timeout &+ 1000) else {
            throw KafkaError(code: .timedOut, reason: "no admin result within \(timeout) ms")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(rdKafka: eventError, reason: rd_kafka_event_error_string(event).map { String(cString: $0) })
        }
        guard rd_kafka_event_type(event) == eventType else {
            throw KafkaError(code: .other, reason: "unexpected admin event \(rd_kafka_event_type(event))")
        }
        let (topicResults, count) = results(event)
        guard let topicResults else { return }
        for index in 0..<count {
            guard let result = topicResults[index] else { continue }
            let error = rd_kafka_topic_result_error(result)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                let name = String(cString: rd_kafka_topic_result_name(result))
                let text = rd_kafka_topic_result_error_string(result).map { String(cString: $0) }
                    ?? String(cString: rd_kafka_err2str(error))
                throw KafkaError(rdKafka: error, reason: "\(name): \(text)")
            }
        }
    }

    /// `rd_kafka_metadata` for all topics, or for the one named `topic` (whose entry then carries
    /// the broker's error for it, e.g. TOPIC_AUTHORIZATION_FAILED, where an all-topics answer
    /// simply leaves out what the principal may not describe).
    func metadata(topic: String? = nil, timeoutMilliseconds: Int32) throws(KafkaError) -> KafkaMetadata {
        var pointer: UnsafePointer<rd_kafka_metadata>?
        var only: OpaquePointer?
        if let topic {
            guard let created = rd_kafka_topic_new(handle, topic, nil) else {
                throw KafkaError(rdKafka: rd_kafka_last_error(), reason: "invalid topic '\(topic)'")
            }
            only = created
        }
        defer { if let only { rd_kafka_topic_destroy(only) } }
        let error = rd_kafka_metadata(handle, only == nil ? 1 : 0, only, &pointer, timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else {
            throw KafkaError(rdKafka: error)
        }
        defer { rd_kafka_metadata_destroy(pointer) }
        let raw = pointer.pointee
        let brokers = (0..<Int(raw.broker_cnt)).map { index in  // safe: a C constant, or widening Int32 -> Int
            let broker = raw.brokers[index]
            return KafkaMetadata.Broker(id: broker.id, host: String(cString: broker.host), port: Int(broker.port))  // safe: a C constant, or widening Int32 -> Int
        }
        let topics = (0..<Int(raw.topic_cnt)).map { index in  // safe: a C constant, or widening Int32 -> Int
            let topic = raw.topics[index]
            let partitions = (0..<Int(topic.partition_cnt)).map { partitionIndex in  // safe: a C constant, or widening Int32 -> Int
                let partition = topic.partitions[partitionIndex]
                return KafkaMetadata.Partition(
                    id: partition.id,
                    leader: partition.leader,
                    replicas: Array(UnsafeBufferPointer(start: partition.replicas, count: Int(partition.replica_cnt))),  // safe: a C constant, or widening Int32 -> Int
                    inSyncReplicas: Array(UnsafeBufferPointer(start: partition.isrs, count: Int(partition.isr_cnt))),  // safe: a C constant, or widening Int32 -> Int
                    error: partition.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(rdKafka: partition.err)
                )
            }
            return KafkaMetadata.Topic(
                name: String(cString: topic.topic),
                partitions: partitions.sorted { $0.id < $1.id },
                error: topic.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(rdKafka: topic.err)
            )
        }
        return KafkaMetadata(
            brokers: brokers,
            topics: topics.sorted { $0.name < $1.name },
            originatingBrokerID: raw.orig_broker_id,
            originatingBrokerName: raw.orig_broker_name.map { String(cString: $0) } ?? ""
        )
    }
}

extension RDKafkaClient {
    /// `rd_kafka_query_watermark_offsets`: the first and the next offset of a partition.
    func watermarks(topic: String, partition: Int32, timeoutMilliseconds: Int32) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let error = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error, reason: "\(topic)[\(partition)] watermarks") }
        return (low, high)
    }
}

extension RDKafkaClient {
    /// `rd_kafka_list_groups` for one group: how many members it has now, nil when no broker
    /// knows the group.
    func memberCount(ofGroup group: String, timeoutMilliseconds: Int32) throws(KafkaError) -> Int? {
        var list: UnsafePointer<rd_kafka_group_list>?
        let error = rd_kafka_list_groups(handle, group, &list, timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { throw KafkaError(rdKafka: error, reason: "group \(group)") }
        defer { rd_kafka_group_list_destroy(list) }
        let groups = UnsafeBufferPointer(start: list.pointee.groups, count: max(0, Int(list.pointee.group_cnt)))  // safe: widening Int32 -> Int
        guard let info = groups.first(where: { $0.err == RD_KAFKA_RESP_ERR_NO_ERROR && String(cString: $0.group) == group })
        else { return nil }
        return max(0, Int(info.member_cnt))  // safe: widening Int32 -> Int
    }
}
