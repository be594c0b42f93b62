import Foundation
import KafkaWire
import Logging
import NIOCore
import NIOPosix
import Testing
@testable import EmbeddedBroker
import TestSupport

@Suite("Long-poll Fetch")
struct FetchWaitTests {
    private func fetch(maxWaitMs: Int32, offset: Int64 = 0, minBytes: Int32 = 1) -> FetchRequest {
        FetchRequest(maxWaitMs: maxWaitMs, minBytes: minBytes, maxBytes: 1 << 20,
                     topics: [.init(topic: "t", partitions: [.init(partition: 0, fetchOffset: offset, partitionMaxBytes: 1 << 20)])])
    }

    @Test func waitingFetchIsAnsweredByTheNextAppendNotByTheTimeout() async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group)
        let started = ContinuousClock.now
        let future = FetchWait.start(fetch(maxWaitMs: 30_000), context: context, on: group.next())
        try await Task.sleep(for: .milliseconds(100))
        let batch = try RecordBatches.validate(RecordBatches.build(records: [KafkaRecord(key: nil, value: Array("hi".utf8))]))
        _ = try context.topics.partition("t", 0)!.append(batch, sync: false)
        let response = try await future.get()
        let waited = ContinuousClock.now - started
        #expect(response.topics[0].partitions[0].highWatermark == 1)
        #expect(response.topics[0].partitions[0].records.reduce(0) { $0 + $1.readableBytes } > 0)
        #expect(waited < .seconds(30), "answered by the append, not by max_wait")
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func minBytesHoldsTheFetchThroughSmallAppendsUntilEnoughIsThere() async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group)
        let log = context.topics.partition("t", 0)!
        let batch = try RecordBatches.validate(RecordBatches.build(records: [KafkaRecord(key: nil, value: Array(repeating: 0x61, count: 100))]))
        let batchBytes = batch.reduce(0) { $0 + $1.bytes.readableBytes }
        let started = ContinuousClock.now
        let future = FetchWait.start(fetch(maxWaitMs: 30_000, minBytes: Int32(batchBytes * 3)), context: context, on: group.next())
        for _ in 0..<2 { _ = try log.append(batch, sync: false) }
        try await Task.sleep(for: .milliseconds(200))
        let early = try await FetchWait.start(fetch(maxWaitMs: 0), context: context, on: group.next()).get()
        #expect(early.topics[0].partitions[0].highWatermark == 2, "two appends are in")
        _ = try log.append(batch, sync: false)
        let response = try await future.get()
        #expect(ContinuousClock.now - started < .seconds(30), "answered by the third append, not by max_wait")
        #expect(response.topics[0].partitions[0].records.reduce(0) { $0 + $1.readableBytes } >= batchBytes * 3)
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func aWaitingFetchOnADeletedPartitionIsAnsweredAtOnce() async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group)
        let started = ContinuousClock.now
        let future = FetchWait.start(fetch(maxWaitMs: 30_000, minBytes: 1000), context: context, on: group.next())
        try await Task.sleep(for: .milliseconds(100))
        #expect(context.topics.delete("t") == .none)
        let response = try await future.get()
        #expect(ContinuousClock.now - started < .seconds(10), "answered by the deletion, not by max_wait")
        #expect(response.topics[0].partitions[0].errorCode != .none)
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func emptyFetchReturnsAfterMaxWaitWithNoRecords() async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group)
        let started = ContinuousClock.now
        let response = try await FetchWait.start(fetch(maxWaitMs: 200), context: context, on: group.next()).get()
        #expect(ContinuousClock.now - started >= .milliseconds(200), "max_wait is honoured")
        #expect(response.topics[0].partitions[0].records.isEmpty)
        #expect(response.topics[0].partitions[0].errorCode == .none)
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func fetchBeyondTheEndIsOffsetOutOfRange() async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group)
        let response = try await FetchWait.start(fetch(maxWaitMs: 100, offset: 5), context: context, on: group.next()).get()
        #expect(response.topics[0].partitions[0].errorCode == .offsetOutOfRange)
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }
}
