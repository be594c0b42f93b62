import KafkaWire
import NIOCore

extension GroupCoordinator {
    /// Records the offsets, then answers once the offsets file is synced (off this event loop).
    func commit(_ request: OffsetCommitRequest) -> EventLoopFuture<OffsetCommitResponse> {
        eventLoop.flatSubmit { [self] in
            var code = groupState(request.groupID)?.canCommit(memberID: request.memberID, generationID: request.generationID) ?? .none
            if request.groupID.isEmpty || request.groupID.utf8.count > maxIdentifierBytes { code = .invalidGroupId }
            var written: (any DurableFile)?
            if code == .none {
                let entries = request.topics.flatMap { topic in
                    topic.partitions.map {
                        (topic: topic.name, partition: $0.partitionIndex,
                         committed: OffsetStore.Committed(offset: $0.committedOffset, metadata: $0.committedMetadata))
                    }
                }
                do { written = try offsetStore.commit(group: request.groupID, entries) } catch { code = .unknownServerError }
            }
            let answer = { @Sendable (code: KafkaErrorCode) in
                OffsetCommitResponse(topics: request.topics.map { topic in
                    .init(name: topic.name, partitions: topic.partitions.map { .init(partitionIndex: $0.partitionIndex, errorCode: code) })
                })
            }
            guard let written, fsync else { return eventLoop.makeSucceededFuture(answer(code)) }
            return syncer.sync(written, on: eventLoop).map { answer(.none) }.recover { [logger] error in
                logger.error("fsync of committed offsets failed: \(error)")
                return answer(.kafkaStorageError)
            }
        }
    }

    func fetchOffsets(_ request: OffsetFetchRequest) -> EventLoopFuture<OffsetFetchResponse> {
        eventLoop.submit { [self] in
            let committed = offsetStore.offsets(group: request.groupID)
            let topics: [OffsetFetchRequest.Topic] = request.topics ?? Dictionary(grouping: committed.keys, by: \.topic)
                .map { .init(name: $0.key, partitionIndexes: $0.value.map(\.partition).sorted()) }
                .sorted { $0.name < $1.name }
            return OffsetFetchResponse(topics: topics.map { topic in
                .init(name: topic.name, partitions: topic.partitionIndexes.map { partition in
                    let value = committed[.init(group: request.groupID, topic: topic.name, partition: partition)]
                    return .init(partitionIndex: partition, committedOffset: value?.offset ?? -1,
                                 metadata: value?.metadata ?? "", errorCode: .none)
                })
            })
        }
    }

    func listGroups() -> EventLoopFuture<ListGroupsResponse> {
        eventLoop.submit { [self] in
            let known = Set(groupIDs).union(offsetStore.offsets.keys.map(\.group))
            return ListGroupsResponse(groups: known.sorted().map {
                .init(groupID: $0, protocolType: groupState($0)?.protocolType ?? "consumer")
            })
        }
    }

    func describe(_ request: DescribeGroupsRequest) -> EventLoopFuture<DescribeGroupsResponse> {
        eventLoop.submit { [self] in
            DescribeGroupsResponse(groups: request.groups.map { id in
                guard let group = groupState(id) else {
                    return .init(errorCode: .none, groupID: id, state: "Dead", protocolType: "", protocolData: "", members: [])
                }
                return .init(errorCode: .none, groupID: id, state: group.state.rawValue, protocolType: group.protocolType ?? "",
                             protocolData: group.protocolName ?? "", members: group.sortedMembers.map {
                    .init(memberID: $0.id, clientID: $0.clientID, clientHost: $0.clientHost,
                          metadata: $0.protocols.first { p in p.name == group.protocolName }?.metadata ?? ByteBuffer(),
                          assignment: $0.assignment)
                })
            })
        }
    }

    /// Forgets the committed offsets of deleted topics; succeeds once that is durable.
    func topicsDeleted(_ topics: [String]) -> EventLoopFuture<Void> {
        eventLoop.flatSubmit { [self] in
            var written: [any DurableFile] = []
            do {
                for topic in topics { if let file = try offsetStore.removeTopic(topic) { written.append(file) } }
            } catch {
                return eventLoop.makeFailedFuture(error)
            }
            guard fsync, !written.isEmpty else { return eventLoop.makeSucceededVoidFuture() }
            return syncer.sync(written, on: eventLoop)
        }
    }
}
