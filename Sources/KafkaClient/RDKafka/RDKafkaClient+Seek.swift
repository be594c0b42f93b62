import CRDKafka

extension RDKafkaClient {
    /// `rd_kafka_seek_partitions` with timeout 0: moves the fetch position of these assigned
    /// partitions and returns at once (librdkafka purges what it had pre-fetched for them; a
    /// batch already handed to the poll loop may still hold records from the old position).
    func seek(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(offsets: offsets)
        if let error = rd_kafka_seek_partitions(handle, list.pointer, 0) { throw KafkaError.consuming(error) }
        // Without a timeout each partition says __IN_PROGRESS: the seek was started.
        if let failed = RDKafkaTopicPartitionList.elements(of: list.pointer)
            .first(where: { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR && $0.error != RD_KAFKA_RESP_ERR__IN_PROGRESS }) {
            throw KafkaError(rdKafka: failed.error, reason: "seek of \(failed.topic)[\(failed.partition)] failed: "
                + String(cString: rd_kafka_err2str(failed.error)))
        }
    }
}
