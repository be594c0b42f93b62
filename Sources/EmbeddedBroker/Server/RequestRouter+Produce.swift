import KafkaWire
import NIOCore

extension RequestRouter {
    /// Appends every partition's batches; with acks=-1 (and fsync on) answers only once the
    /// touched files are synced, by the group-commit thread, off this event loop.
    func produce(_ request: ProduceRequest, on eventLoop: EventLoop) -> EventLoopFuture<ProduceResponse?> {
        let sync = request.acks == -1 && context.configuration.fsync
        let validAcks = [-1, 0, 1].contains(request.acks)
        var touched: [any DurableFile] = []
        let response = ProduceResponse(topics: request.topics.map { topic in
            .init(name: topic.name, partitions: topic.partitions.map { partition in
                guard validAcks else { return failed(partition.index, .invalidRequiredAcks) }
                guard let log = context.topics.partition(topic.name, partition.index) else {
                    return failed(partition.index, .unknownTopicOrPartition)
                }
                guard let records = partition.records, records.readableBytes > 0 else {
                    return failed(partition.index, .invalidRecord)
                }
                let batches: [(header: RecordBatchHeader, bytes: ByteBuffer)]
                do {
                    batches = try RecordBatches.validate(records)
                } catch {
                    context.logger.warning("rejected produce to \(topic.name)-\(partition.index): \(error)")
                    return failed(partition.index, .corruptMessage)
                }
                if let big = batches.first(where: { $0.header.totalSize > context.configuration.maxBatchBytes }) {
                    context.logger.warning("rejected produce to \(topic.name)-\(partition.index): batch of \(big.header.totalSize) bytes exceeds max \(context.configuration.maxBatchBytes)")
                    return failed(partition.index, .messageTooLarge)
                }
                do {
                    let (base, file) = try log.append(batches)
                    if sync { touched.append(file) }
                    return .init(index: partition.index, errorCode: .none, baseOffset: base, logStartOffset: log.logStartOffset)
                } catch {
                    context.logger.error("append to \(topic.name)-\(partition.index) failed: \(error)")
                    return failed(partition.index, .unknownServerError)
                }
            })
        })
        guard !touched.isEmpty else { return eventLoop.makeSucceededFuture(request.acks == 0 ? nil : response) }
        return context.syncer.sync(touched, on: eventLoop).map { response }.recover { error in
            context.logger.error("fsync before acknowledging a produce failed: \(error)")
            return Self.failedAppends(response)
        }
    }

    /// The response with every appended partition answered KAFKA_STORAGE_ERROR: the data was
    /// written but could not be made durable, so the producer must not count it as acknowledged.
    private static func failedAppends(_ response: ProduceResponse) -> ProduceResponse {
        var response = response
        for t in response.topics.indices {
            for p in response.topics[t].partitions.indices where response.topics[t].partitions[p].errorCode == .none {
                response.topics[t].partitions[p].errorCode = .kafkaStorageError
                response.topics[t].partitions[p].baseOffset = -1
            }
        }
        return response
    }

    private func failed(_ index: Int32, _ code: KafkaErrorCode) -> ProduceResponse.PartitionResponse {
        .init(index: index, errorCode: code, baseOffset: -1, logStartOffset: -1)
    }

    func listOffsets(_ request: ListOffsetsRequest) -> ListOffsetsResponse {
        ListOffsetsResponse(topics: request.topics.map { topic in
            .init(name: topic.name, partitions: topic.partitions.map { partition in
                guard let log = context.topics.partition(topic.name, partition.partitionIndex) else {
                    return .init(partitionIndex: partition.partitionIndex, errorCode: .unknownTopicOrPartition, offset: -1)
                }
                switch partition.timestamp {
                case ListOffsetsRequest.latest:
                    return .init(partitionIndex: partition.partitionIndex, errorCode: .none, offset: log.highWatermark)
                case ListOffsetsRequest.earliest:
                    return .init(partitionIndex: partition.partitionIndex, errorCode: .none, offset: log.logStartOffset)
                default:
                    // The first record at or after the time; none: offset -1 and timestamp -1, as Kafka.
                    do {
                        var answer = ListOffsetsResponse.Partition(partitionIndex: partition.partitionIndex, errorCode: .none, offset: -1)
                        if let found = try log.offset(forTimestamp: partition.timestamp) {
                            answer.offset = found.offset
                            answer.timestamp = found.timestamp
                        }
                        return answer
                    } catch {
                        context.logger.error("ListOffsets by time on \(topic.name)-\(partition.partitionIndex) failed: \(error)")
                        return .init(partitionIndex: partition.partitionIndex, errorCode: .unknownServerError, offset: -1)
                    }
                }
            })
        })
    }
}
