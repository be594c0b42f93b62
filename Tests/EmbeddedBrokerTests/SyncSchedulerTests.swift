import Dispatch
import KafkaWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import EmbeddedBroker
import TestSupport

/// A file whose syncs are counted, and whose first sync can be held until released.
private final class FakeFile: DurableFile {
    let release = DispatchSemaphore(value: 0)
    private let state = NIOLockedValueBox((syncs: 0, holdFirst: false, failing: false))
    private let inside = NIOLockedValueBox(false)

    /// Waits (without blocking a test thread) until the held first sync has started.
    func waitUntilInsideFirstSync() async throws {
        while !inside.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
    }

    func setFailing(_ failing: Bool) { state.withLockedValue { $0.failing = failing } }

    init(holdFirst: Bool = false, failing: Bool = false) {
        state.withLockedValue { $0 = (0, holdFirst, failing) }
    }

    var syncs: Int { state.withLockedValue { $0.syncs } }

    func sync() throws {
        let (number, hold, failing) = state.withLockedValue { state in
            state.syncs += 1
            return (state.syncs, state.holdFirst, state.failing)
        }
        if hold, number == 1 {
            inside.withLockedValue { $0 = true }
            release.wait()  // on the scheduler's own thread
        }
        if failing { throw BrokerError(.io, "disk on fire") }
    }
}

@Suite("Group commit")
struct SyncSchedulerTests {
    @Test func requestsMadeDuringASyncShareTheNextOneAndAreNotAnsweredByTheRunningOne() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let scheduler = SyncScheduler()
        let file = FakeFile(holdFirst: true)
        let loop = group.next()
        let first = scheduler.sync(file, on: loop)
        try await file.waitUntilInsideFirstSync()  // round 1 is inside fdatasync
        let later = (0..<10).map { _ in scheduler.sync(file, on: loop).map { file.syncs } }
        file.release.signal()
        try await first.get()
        for future in later {
            #expect(try await future.get() == 2, "answered by the second sync, which started after the request")
        }
        #expect(file.syncs == 2, "ten requests waiting together cost one sync")
        #expect(scheduler.rounds == 2)
        await scheduler.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func eachFileIsSyncedOncePerRound() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let scheduler = SyncScheduler()
        let a = FakeFile(), b = FakeFile()
        try await scheduler.sync([a, b, a, a, b], on: group.next()).get()
        #expect(a.syncs == 1)
        #expect(b.syncs == 1)
        await scheduler.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func aFailedSyncFailsItsWaitersAndOthersCarryOn() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let scheduler = SyncScheduler()
        await #expect(throws: BrokerError.self) { try await scheduler.sync(FakeFile(failing: true), on: group.next()).get() }
        try await scheduler.sync(FakeFile(), on: group.next()).get()
        await scheduler.shutdown()
        await #expect(throws: BrokerError.self) { try await scheduler.sync(FakeFile(), on: group.next()).get() }
        try await group.shutdownGracefully()
    }

    @Test func aFileWhoseSyncFailedFailsEveryLaterSyncWithoutTrustingANewOne() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let scheduler = SyncScheduler()
        let file = FakeFile(failing: true)
        await #expect(throws: BrokerError.self) { try await scheduler.sync(file, on: group.next()).get() }
        file.setFailing(false)
        await #expect(throws: BrokerError.self, "writes lost by the failed writeback must not be acknowledged") {
            try await scheduler.sync(file, on: group.next()).get()
        }
        #expect(file.syncs == 1, "the poisoned file is not synced again")
        try await scheduler.sync(FakeFile(), on: group.next()).get()
        await scheduler.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func produceWithAcksAllIsAStorageErrorWhenTheSyncFailsButAcksOneIsNot() async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group)
        await context.syncer.shutdown()  // every sync now fails
        let records = RecordBatches.build(records: [KafkaRecord(key: nil, value: Array("hi".utf8))])
        func produce(acks: Int16) async throws -> KafkaErrorCode? {
            let request = ProduceRequest(transactionalID: nil, acks: acks, timeoutMs: 1000,
                                         topics: [.init(name: "t", partitions: [.init(index: 0, records: records)])])
            return try await RequestRouter(context: context).produce(request, on: group.next()).get()?.topics[0].partitions[0].errorCode
        }
        #expect(try await produce(acks: -1) == .kafkaStorageError)
        #expect(try await produce(acks: 1) == KafkaErrorCode.none)
        try await group.shutdownGracefully()
    }
}
