import CRDKafka

/// Owner of an `rd_kafka_topic_partition_list_t`.
final class RDKafkaTopicPartitionList {
    static let offsetBeginning: Int64 = -2
    static let offsetEnd: Int64 = -1
    static let offsetStored: Int64 = -1000
    static let offsetInvalid: Int64 = -1001
    static let partitionUnassigned: Int32 = -1

    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int = 1) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: max(capacity, 1)))
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    /// A list of whole topics (partition `RD_KAFKA_PARTITION_UA`), for `rd_kafka_subscribe`.
    convenience init(topics: [String]) {
        self.init(capacity: topics.count)
        for topic in topics {
            add(topic: topic, partition: Self.partitionUnassigned)
        }
    }

    convenience init(offsets: [TopicPartitionOffset]) {
        self.init(capacity: offsets.count)
        for entry in offsets {
            add(topic: entry.topic, partition: entry.partition, offset: Self.rawOffset(entry.offset))
        }
    }

    @discardableResult
    func add(topic: String, partition: Int32, offset: Int64? = nil) -> UnsafeMutablePointer<rd_kafka_topic_partition_t> {
        let element = rd_kafka_topic_partition_list_add(pointer, topic, partition)!
        if let offset {
            element.pointee.offset = offset
        }
        return element
    }

    static func rawOffset(_ offset: KafkaOffset) -> Int64 {
        switch offset {
        case .beginning: return offsetBeginning
        case .end: return offsetEnd
        case .committed: return offsetStored
        case .offset(let value): return value
        }
    }

    /// Copies a list librdkafka owns into Swift values.
    static func topicPartitions(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
        elements(of: list).map { TopicPartition(topic: $0.topic, partition: $0.partition) }
    }

    /// Copies a list librdkafka owns, including offsets and per-entry errors.
    static func elements(
        of list: UnsafePointer<rd_kafka_topic_partition_list_t>
    ) -> [(topic: String, partition: Int32, offset: Int64, error: rd_kafka_resp_err_t)] {
        let count = Int(list.pointee.cnt)  // safe: widening Int32 -> Int
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            return (String(cString: element.topic), element.partition, element.offset, element.err)
        }
    }
}
