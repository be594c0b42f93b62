import Foundation
import KafkaWire
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing
@testable import EmbeddedBroker
import TestSupport

/// Issue 11: the broker bounds topics, partitions, open files, fetch bytes, queued requests and
/// group members, and never traps on what a client sends or what it finds on disk.
@Suite("Broker limits and hostile input")
struct BrokerLimitsTests {
    private func records(_ values: [String], timestamp: Int64 = 0) throws -> [(header: RecordBatchHeader, bytes: ByteBuffer)] {
        try RecordBatches.validate(RecordBatches.build(records: values.map { KafkaRecord(key: nil, value: Array($0.utf8)) },
                                                       timestamp: timestamp))
    }

    private func values(_ log: PartitionLog) throws -> [String] {
        try log.read(from: 0, maxBytes: 1 << 30, allocator: .init()).records.flatMap { buffer in
            try RecordBatches.validate(buffer).flatMap { try RecordBatches.records(in: $0.bytes) }
                .map { String(decoding: $0.record.value!, as: UTF8.self) }
        }
    }

    private func withContext(_ configure: (inout BrokerConfiguration) -> Void = { _ in },
                             _ body: (BrokerContext, EventLoopGroup) async throws -> Void) async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group, configure: configure)
        do {
            try await body(context, group)
        } catch {
            await context.syncer.shutdown()
            try await group.shutdownGracefully()
            throw error
        }
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }

    private func handle(_ body: KafkaRequest.Body, _ context: BrokerContext, on loop: EventLoop,
                        version: Int16, clientID: String? = "test") async throws -> (any KafkaResponseMessage)? {
        let request = KafkaRequest(header: RequestHeader(apiKey: 0, apiVersion: version, correlationID: 1, clientID: clientID),
                                   body: body)
        return try await RequestRouter(context: context).handle(request, clientHost: "h", on: loop).get()
    }

    // MARK: topics and partitions

    @Test func topicsPastTheLimitArePolicyViolationAndPartitionsPastItInvalidPartitions() throws {
        let dir = TemporaryDirectory()
        let store = try TopicStore(dataDirectory: dir.path, segmentBytes: 1 << 20, maxTopics: 2, maxPartitions: 4)
        #expect(store.create("a", partitions: 5).0 == .invalidPartitions)
        #expect(store.create("a", partitions: 0).0 == .invalidPartitions)
        #expect(store.create("a", partitions: 4).0 == .none)
        #expect(store.create("b", partitions: 1).0 == .none)
        #expect(store.create("c", partitions: 1).0 == .policyViolation)
        #expect(store.check("c", partitions: 1).0 == .policyViolation, "validate_only says the same")
        #expect(store.names == ["a", "b"])
    }

    @Test func autoCreateStopsAtMaxTopicsWithUnknownTopic() async throws {
        try await withContext({ $0.maxTopics = 10; $0.defaultPartitions = 1 }) { context, group in
            let names = (0..<200).map { "unknown-\($0)" }
            let response = try #require(try await handle(.metadata(MetadataRequest(topics: names)), context, on: group.next(),
                                                         version: 4) as? MetadataResponse)
            let created = response.topics.filter { $0.errorCode == .none }
            #expect(created.count == 9, "t plus 9 make 10")
            #expect(response.topics.filter { $0.errorCode == .unknownTopicOrPartition }.count == 191)
            #expect(context.topics.count == 10)
        }
    }

    @Test func createTopicsWithA32760ByteNameAnswersInvalidTopicAndTheResponseEncodes() async throws {
        try await withContext { context, group in
            let name = String(repeating: "t", count: 32_760)
            let request = CreateTopicsRequest(topics: [.init(name: name, numPartitions: 1, replicationFactor: 1)], timeoutMs: 1000)
            let response = try #require(try await handle(.createTopics(request), context, on: group.next(), version: 4)
                as? CreateTopicsResponse)
            #expect(response.topics[0].errorCode == .invalidTopicException)
            #expect((response.topics[0].errorMessage?.utf8.count ?? 0) < 300, "the message names a bounded prefix")
            var frame = response.encodedFrame(version: 4, correlationID: 1)
            #expect(frame.readInteger(as: Int32.self) == 1)
            let tooWide = CreateTopicsRequest(topics: [.init(name: "wide", numPartitions: 65, replicationFactor: 1)], timeoutMs: 1000)
            let wide = try #require(try await handle(.createTopics(tooWide), context, on: group.next(), version: 4)
                as? CreateTopicsResponse)
            #expect(wide.topics[0].errorCode == .invalidPartitions)
        }
    }

    // MARK: open files

    @Test func manyTopicsWithFewOpenFilesStillReadAndWriteCorrectly() throws {
        let dir = TemporaryDirectory()
        do {
            let store = try TopicStore(dataDirectory: dir.path, segmentBytes: 300, maxOpenFiles: 6)
            for i in 0..<20 { #expect(store.create("topic-\(i)", partitions: 2).0 == .none) }
            #expect(store.files.openCount <= 6)
            for round in 0..<3 {
                for i in 0..<20 {
                    for p: Int32 in 0..<2 {
                        let log = try #require(store.partition("topic-\(i)", p))
                        let (_, file) = try log.append(try records(["\(i)-\(p)-\(round)"]))
                        try file.sync() // the sync thread reopens an evicted file
                    }
                }
                #expect(store.files.openCount <= 6)
            }
            for i in 0..<20 {
                for p: Int32 in 0..<2 {
                    let log = try #require(store.partition("topic-\(i)", p))
                    #expect(try values(log) == (0..<3).map { "\(i)-\(p)-\($0)" })
                    #expect(log.highWatermark == 3)
                }
            }
            #expect(store.files.openCount <= 6)
            #expect(store.files.opens > 80, "files were closed and reopened on demand")
        }
        // Reopened from disk (recovery and index loading go through the cache too).
        let reopened = try TopicStore(dataDirectory: dir.path, segmentBytes: 300, maxOpenFiles: 4)
        #expect(reopened.files.openCount <= 4)
        #expect(try values(try #require(reopened.partition("topic-7", 1))) == ["7-1-0", "7-1-1", "7-1-2"])
    }

    @Test func aDeletedTopicRecreatedUnderTheSameNameDoesNotSeeOldFiles() throws {
        let dir = TemporaryDirectory()
        let store = try TopicStore(dataDirectory: dir.path, segmentBytes: 1 << 20, maxOpenFiles: 8)
        #expect(store.create("x", partitions: 1).0 == .none)
        _ = try store.partition("x", 0)!.append(try records(["old"]))
        #expect(store.delete("x") == .none)
        #expect(store.create("x", partitions: 1).0 == .none)
        _ = try store.partition("x", 0)!.append(try records(["new"]))
        #expect(try values(store.partition("x", 0)!) == ["new"])
        let reopened = try TopicStore(dataDirectory: dir.path, segmentBytes: 1 << 20)
        #expect(try values(reopened.partition("x", 0)!) == ["new"])
    }

    // MARK: fetch bytes

    @Test func fetchBytesAreCappedButAtLeastOneBatchIsReturned() async throws {
        try await withContext({ $0.maxFetchBytes = 1000 }) { context, group in
            let log = try #require(context.topics.partition("t", 0))
            let big = String(repeating: "x", count: 200)
            for _ in 0..<20 { _ = try log.append(try records([big])) }
            let batchSize = try records([big])[0].header.totalSize
            func fetch(_ maxBytes: Int32) async throws -> Int {
                let request = FetchRequest(maxWaitMs: 0, minBytes: 1, maxBytes: maxBytes, topics: [
                    .init(topic: "t", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: maxBytes)])])
                let response = try await FetchWait.start(request, context: context, on: group.next()).get()
                return response.topics[0].partitions[0].records.reduce(0) { $0 + $1.readableBytes }
            }
            let capped = try await fetch(Int32.max)
            #expect(capped <= 1000 && capped >= batchSize, "the client's 2 GiB is capped to the broker's 1000 bytes")
            #expect(try await fetch(100) == batchSize, "at least one whole batch")
        }
        try await withContext({ $0.maxFetchBytes = 100 }) { context, group in
            let log = try #require(context.topics.partition("t", 0))
            for _ in 0..<3 { _ = try log.append(try records([String(repeating: "y", count: 300)])) }
            let request = FetchRequest(maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 30, topics: [
                .init(topic: "t", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 30)])])
            let response = try await FetchWait.start(request, context: context, on: group.next()).get()
            #expect(response.topics[0].partitions[0].records.count == 1, "one batch larger than the cap")
        }
    }

    // MARK: ListOffsets, transactions

    @Test func listOffsetsByTimeFindsTheRecordAndMinusOnePastTheEnd() async throws {
        try await withContext { context, group in
            let log = try #require(context.topics.partition("t", 0))
            let timed = [0, 1000, 2000].map { delta -> KafkaRecord in
                var record = KafkaRecord(key: nil, value: [1])
                record.timestampDelta = Int64(delta)
                return record
            }
            _ = try log.append(try records(["before"], timestamp: 10))
            _ = try log.append(try RecordBatches.validate(RecordBatches.build(records: timed, timestamp: 1000)))
            func ask(_ timestamp: Int64) async throws -> (Int64, Int64) {
                let request = ListOffsetsRequest(topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, timestamp: timestamp)])])
                let response = try #require(try await handle(.listOffsets(request), context, on: group.next(), version: 1)
                    as? ListOffsetsResponse)
                let partition = response.topics[0].partitions[0]
                return (partition.offset, partition.timestamp)
            }
            #expect(try await ask(5) == (0, 10))
            #expect(try await ask(11) == (1, 1000))
            #expect(try await ask(1500) == (2, 2000), "the record inside the batch, not the batch start")
            #expect(try await ask(2001) == (3, 3000))
            #expect(try await ask(3001) == (-1, -1), "past the end: offset -1, timestamp -1, as Kafka")
            #expect(try await ask(ListOffsetsRequest.latest).0 == 4)
        }
    }

    @Test func aTransactionalProducerIsRefusedAndAnIdempotentOneServed() async throws {
        try await withContext { context, group in
            let refused = try #require(try await handle(.initProducerId(.init(transactionalID: "tx", transactionTimeoutMs: 1000)),
                                                        context, on: group.next(), version: 1) as? InitProducerIdResponse)
            #expect(refused.errorCode == .transactionalIdAuthorizationFailed)
            let served = try #require(try await handle(.initProducerId(.init(transactionalID: nil, transactionTimeoutMs: 1000)),
                                                       context, on: group.next(), version: 1) as? InitProducerIdResponse)
            #expect(served.errorCode == .none && served.producerID > 0)
        }
    }

    @Test func aLyingBatchIsCorruptMessageAndNotStored() async throws {
        try await withContext { context, group in
            var batch = RecordBatches.build(records: [KafkaRecord(key: nil, value: [1])])
            batch.setInteger(Int32(5), at: 57, endianness: .big)
            batch.setInteger(Int32(4), at: 23, endianness: .big)
            let crc = batch.withUnsafeReadableBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
            batch.setInteger(crc, at: 17, endianness: .big)
            let produce = ProduceRequest(acks: 1, timeoutMs: 1000, topics: [.init(name: "t", partitions: [.init(index: 0, records: batch)])])
            let response = try #require(try await handle(.produce(produce), context, on: group.next(), version: 3) as? ProduceResponse)
            #expect(response.topics[0].partitions[0].errorCode == .corruptMessage)
            #expect(context.topics.partition("t", 0)!.highWatermark == 0)
        }
    }

    // MARK: groups

    @Test func memberIDsFromAHugeClientIDAreShortAndTheJoinAnswerEncodes() {
        var group = ConsumerGroup(id: "g", initialRebalanceDelayMs: 0)
        let request = JoinGroupRequest(groupID: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberID: "",
                                       protocolType: "consumer", protocols: [.init(name: "range", metadata: ByteBuffer())])
        let (response, _) = group.join(request, version: 5, clientID: String(repeating: "c", count: 32_760),
                                       clientHost: "h", nowMs: 0)
        let memberID = response!.memberID
        #expect(memberID.utf8.count <= 100)
        #expect(memberID.hasPrefix(String(repeating: "c", count: 64) + "-"))
        var frame = response!.encodedFrame(version: 5, correlationID: 3)
        #expect(frame.readInteger(as: Int32.self) == 3)
    }

    @Test func aGroupPastMaxMembersAnswersGroupMaxSizeReached() {
        var group = ConsumerGroup(id: "g", initialRebalanceDelayMs: 0, maxMembers: 3)
        let request = JoinGroupRequest(groupID: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberID: "",
                                       protocolType: "consumer", protocols: [.init(name: "range", metadata: ByteBuffer())])
        for version: Int16 in [5, 5, 0] {
            let (response, _) = group.join(request, version: version, clientID: "c", clientHost: "h", nowMs: 0)
            #expect(response == nil || response?.errorCode == .memberIdRequired)
        }
        for version: Int16 in [5, 0] {
            let (response, _) = group.join(request, version: version, clientID: "c", clientHost: "h", nowMs: 0)
            #expect(response?.errorCode == .groupMaxSizeReached)
        }
        // Unused ids expire with their session timeout and make room again.
        _ = group.tick(nowMs: 20_000)
        let (again, _) = group.join(request, version: 5, clientID: "c", clientHost: "h", nowMs: 20_000)
        #expect(again?.errorCode == .memberIdRequired)
    }

    @Test func longGroupAndMemberIDsAndTooManyGroupsAreRefused() async throws {
        try await withContext({ $0.maxGroups = 2 }) { context, _ in
            let join = { @Sendable (group: String, member: String) async throws -> KafkaErrorCode in
                let request = JoinGroupRequest(groupID: group, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000,
                                               memberID: member, protocolType: "consumer",
                                               protocols: [.init(name: "range", metadata: ByteBuffer())])
                return try await context.groups.join(request, version: 5, clientID: "c", clientHost: "h").get().errorCode
            }
            let longGroup = try await join(String(repeating: "g", count: 256), "")
            #expect(longGroup == .invalidGroupId)
            let longMember = try await join("g", String(repeating: "m", count: 256))
            #expect(longMember == .unknownMemberId)
            let one = try await join("one", "")
            let two = try await join("two", "")
            let three = try await join("three", "")
            #expect(one == .memberIdRequired && two == .memberIdRequired)
            #expect(three == .coordinatorNotAvailable, "two groups with members already")
            let commit = OffsetCommitRequest(groupID: String(repeating: "g", count: 256), topics: [
                .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 1)])])
            let committed = try await context.groups.commit(commit).get()
            #expect(committed.topics[0].partitions[0].errorCode == .invalidGroupId)
        }
    }

    @Test func offsetsOfPartitionsThatDoNotExistAreRefusedAndNotStored() async throws {
        try await withContext { context, group in
            let commit = OffsetCommitRequest(groupID: "g", topics: [
                .init(name: "nope", partitions: [.init(partitionIndex: 0, committedOffset: 1)]),
                .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 5), .init(partitionIndex: 9, committedOffset: 1)]),
            ])
            let response = try #require(try await handle(.offsetCommit(commit), context, on: group.next(), version: 2)
                as? OffsetCommitResponse)
            #expect(response.topics.map(\.name) == ["nope", "t"])
            #expect(response.topics[0].partitions.map(\.errorCode) == [.unknownTopicOrPartition])
            #expect(response.topics[1].partitions.map(\.errorCode) == [.none, .unknownTopicOrPartition])
            let stored = try await context.groups.eventLoop.submit { context.groups.offsetStore.offsets.keys.map { "\($0.topic)-\($0.partition)" } }.get()
            #expect(stored == ["t-0"])
        }
    }

    // MARK: committed offsets of deleted topics

    @Test func aDeletedTopicsCommittedOffsetsStayGoneAfterARestart() throws {
        let dir = TemporaryDirectory()
        do {
            let store = try OffsetStore(dataDirectory: dir.path)
            _ = try store.commit(group: "g", [("gone", 0, .init(offset: 5, metadata: nil)), ("kept", 0, .init(offset: 7, metadata: nil))])
            _ = try store.commit(group: "h", [("gone", 1, .init(offset: 9, metadata: nil))])
            #expect(try store.removeTopic("gone") != nil)
            #expect(try store.removeTopic("never-committed") == nil, "nothing written for a topic without offsets")
            #expect(store.offsets.keys.map(\.topic) == ["kept"])
        }
        let reopened = try OffsetStore(dataDirectory: dir.path)
        #expect(reopened.offsets.keys.map(\.topic) == ["kept"])
        #expect(reopened.offsets(group: "g")[.init(group: "g", topic: "kept", partition: 0)]?.offset == 7)
    }

    @Test func offsetsCommittedAgainAfterADeleteAreKept() throws {
        let dir = TemporaryDirectory()
        do {
            let store = try OffsetStore(dataDirectory: dir.path)
            _ = try store.commit(group: "g", [("t", 0, .init(offset: 5, metadata: nil))])
            _ = try store.removeTopic("t")
            _ = try store.commit(group: "g", [("t", 0, .init(offset: 2, metadata: nil))])
        }
        #expect(try OffsetStore(dataDirectory: dir.path).offsets(group: "g")[.init(group: "g", topic: "t", partition: 0)]?.offset == 2)
    }

    // MARK: data read from disk

    @Test func aBatchWithANegativeLengthOnDiskIsCutNotTrappedOn() throws {
        let dir = TemporaryDirectory()
        do {
            let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 1 << 20)
            _ = try log.append(try records(["kept"]), sync: true)
        }
        let path = dir.path + "/00000000000000000000.log"
        var garbage = ByteBuffer()
        garbage.writeInteger(Int64(1))
        garbage.writeInteger(Int32(-100)) // batch length
        garbage.writeBytes([UInt8](repeating: 0, count: 60))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(garbage.readableBytesView))
        try handle.close()
        let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 1 << 20)
        #expect(try values(log) == ["kept"])
        #expect(log.highWatermark == 1)
    }

    @Test func anIndexEntryAtTheLastOffsetIsRejectedNotTrappedOn() throws {
        let dir = TemporaryDirectory()
        do {
            let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 100)
            _ = try log.append(try records(["a"]), sync: true)
            _ = try log.append(try records(["b"]), sync: true) // a second segment: the first is loaded from its index
        }
        // The first segment's index claims its batch ends at Int64.max.
        let index = dir.path + "/00000000000000000000.index"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: index))
        handle.seek(toFileOffset: 8)
        handle.write(Data(withUnsafeBytes(of: Int64.max.bigEndian) { Array($0) }))
        try handle.close()
        let log = try PartitionLog(topic: "t", partition: 0, directory: dir.path, segmentBytes: 100)
        #expect(try values(log) == ["a", "b"], "the index was not trusted; the log was re-read")
    }
}
