import CRDKafka

extension RDKafkaClient {
    /// `rd_kafka_subscribe`: joins the group for these topics (replaces a previous subscription).
    func subscribe(topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(topics: topics)
        let error = rd_kafka_subscribe(handle, list.pointer)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error) }
    }

    /// `rd_kafka_assign`: reads exactly these partitions from these offsets, no group rebalancing.
    func assign(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets: offsets)
        let error = rd_kafka_assign(handle, list.pointer)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error) }
    }

    /// `rd_kafka_incremental_assign`: adds these partitions (from these offsets) to the current
    /// assignment; the partitions already assigned go on from where they are.
    func incrementalAssign(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets: offsets)
        if let error = rd_kafka_incremental_assign(handle, list.pointer) { throw KafkaError.consuming(error) }
    }

    /// Polls the consumer: waits up to `timeoutMilliseconds` for the first message, then takes
    /// whatever else is already fetched, up to `maxMessages`, in one `rd_kafka_consume_batch_queue`
    /// (one queue lock for the lot; with a timeout it would wait for a full batch). Also serves the
    /// error/rebalance callbacks. Per-partition errors come back in `errors`; nil: no message.
    func pollBatch(timeoutMilliseconds: Int32, maxMessages: Int, errors: inout [KafkaError]) -> RDKafkaMessageBatch? {
        guard let first = rd_kafka_consumer_poll(handle, timeoutMilliseconds) else { return nil }
        let capacity = max(maxMessages, 1)
        let buffer = UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        buffer[0] = first
        var received = 1
        if capacity > 1, let queue = rd_kafka_queue_get_consumer(handle) {
            let more = rd_kafka_consume_batch_queue(queue, 0, buffer.baseAddress! + 1, capacity - 1)  // safe: capacity >= 1
            rd_kafka_queue_destroy(queue)
            received += max(more, 0)
        }
        let messages = UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>>.allocate(capacity: received)
        var kept = 0
        for case let message? in buffer.prefix(received) {
            let error = message.pointee.err
            if error == RD_KAFKA_RESP_ERR_NO_ERROR {
                messages.initializeElement(at: kept, to: message)
                kept += 1
                continue
            }
            defer { rd_kafka_message_destroy(message) }
            guard error != RD_KAFKA_RESP_ERR__PARTITION_EOF else { continue }
            let reason = rd_kafka_message_errstr(message).map { String(cString: $0) }
            var kafkaError = KafkaError(rdKafka: error, reason: reason)
            if let topic = message.pointee.rkt.map({ String(cString: rd_kafka_topic_name($0)) }) {
                kafkaError.reason += " (\(topic)[\(message.pointee.partition)])"
            }
            errors.append(kafkaError)
        }
        guard kept > 0 else {
            messages.deallocate()
            return nil
        }
        return RDKafkaMessageBatch(client: self, taking: UnsafeMutableBufferPointer(rebasing: messages.prefix(kept)))
    }

    /// Commits offsets (the next offset to read per partition), or the current
    /// positions when `offsets` is nil. `async: true` only schedules the commit.
    func commit(_ offsets: [TopicPartitionOffset]?, async: Bool) throws(KafkaError) {
        let list = offsets.map { RDKafkaTopicPartitionList(offsets: $0) }
        let error = rd_kafka_commit(handle, list?.pointer, async ? 1 : 0)
        switch error {
        case RD_KAFKA_RESP_ERR_NO_ERROR, RD_KAFKA_RESP_ERR__NO_OFFSET:
            // __NO_OFFSET: nothing consumed since the last commit.
            break
        default:
            throw KafkaError(rdKafka: error)
        }
        // A synchronous commit reports per-partition failures in the list.
        if !async, let list {
            if let failed = RDKafkaTopicPartitionList.elements(of: list.pointer)
                .first(where: { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR }) {
                throw KafkaError(rdKafka: failed.error, reason: "commit of \(failed.topic)[\(failed.partition)] failed: "
                    + String(cString: rd_kafka_err2str(failed.error)))
            }
        }
    }

    /// Committed offsets of the group for these partitions (`rd_kafka_committed`).
    func committed(_ partitions: [TopicPartition], timeoutMilliseconds: Int32) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList(capacity: partitions.count)
        for partition in partitions {
            list.add(topic: partition.topic, partition: partition.partition)
        }
        let error = rd_kafka_committed(handle, list.pointer, timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(rdKafka: error) }
        var result: [TopicPartition: Int64] = [:]
        for element in RDKafkaTopicPartitionList.elements(of: list.pointer) where element.offset >= 0 {
            result[TopicPartition(topic: element.topic, partition: element.partition)] = element.offset
        }
        return result
    }

    /// Closes the consumer (`rd_kafka_consumer_close_queue`): revokes the assignment
    /// (serving the rebalance callback here), does the final auto-commit and leaves
    /// the group. Unlike `rd_kafka_consumer_close`, which can block for
    /// `session.timeout.ms` when the coordinator is unreachable, this gives up after
    /// `timeoutMilliseconds`. Returns whether the close completed. Call it on the
    /// polling thread, before ``destroy()``.
    func closeConsumer(timeoutMilliseconds: Int32) -> Bool {
        guard let queue = rd_kafka_queue_new(handle) else { return false }
        defer { rd_kafka_queue_destroy(queue) }
        if let error = rd_kafka_consumer_close_queue(handle, queue) {
            _ = KafkaError.consuming(error)
            return rd_kafka_consumer_closed(handle) != 0
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(timeoutMilliseconds))  // safe: widening Int32 -> Int
        // The close forwards the consumer's queue here, messages fetched but not handed out
        // included. `rd_kafka_queue_poll_callback` serves in callback mode, where a fetched
        // message is not handled and librdkafka aborts (`rd_kafka_q_serve: assert res !=
        // RD_KAFKA_OP_RES_PASS`); `rd_kafka_consume_queue` would return them but store their
        // offsets, which the close's final auto-commit then commits although nobody got them.
        // `rd_kafka_queue_poll` serves the rebalance callback as before and returns the rest as
        // events, destroyed unread: offsets are stored only for messages handed out (as
        // librdkafka's own `rd_kafka_consumer_close` does).
        while rd_kafka_consumer_closed(handle) == 0 {
            guard clock.now < deadline else { return false }
            if let event = rd_kafka_queue_poll(queue, 50) { rd_kafka_event_destroy(event) }
        }
        return true
    }
}
