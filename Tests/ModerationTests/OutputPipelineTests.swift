import ChatModel
import Foundation
import KafkaClient
import Logging
import Synchronization
import Testing
@testable import Moderation

private func offsets(_ pairs: (Int32, Int64)...) -> [TopicPartitionOffset] {
    pairs.map { TopicPartitionOffset(topic: "chat", partition: $0.0, offset: .offset($0.1)) }
}

@Suite("Commit order")
struct CommitOrderTests {
    @Test func aBatchIsCommittedOnlyWhenItAndEveryEarlierBatchAreAcknowledged() {
        var order = CommitOrder()
        let a = order.open(offsets: offsets((0, 10)))
        order.add(1, to: a)
        order.add(2, to: a)
        #expect(order.close(a) == nil)
        let b = order.open(offsets: offsets((0, 20), (1, 5)))
        order.add(3, to: b)
        #expect(order.close(b) == nil)
        #expect(order.acknowledge([3]) == nil, "batch b is done but a is not")
        #expect(order.acknowledge([1]) == nil)
        #expect(order.acknowledge([2]) == offsets((0, 20), (1, 5)), "a and b together, merged")
        #expect(order.outstanding == 0)
    }

    @Test func aBatchWithoutOutputsAtTheHeadIsCommittableWhenClosedNotBefore() {
        var order = CommitOrder()
        let a = order.open(offsets: offsets((2, 7)))
        #expect(order.acknowledge([99]) == nil, "unknown tokens are ignored")
        #expect(order.close(a) == offsets((2, 7)))
    }

    @Test func anOpenBatchHoldsBackLaterOnes() {
        var order = CommitOrder()
        let a = order.open(offsets: offsets((0, 1)))
        order.add(1, to: a)
        #expect(order.acknowledge([1]) == nil, "a is still being published")
        let b = order.open(offsets: offsets((0, 2)))
        #expect(order.close(b) == nil)
        #expect(order.close(a) == offsets((0, 2)))
    }

    @Test func thousandsOfBatchesCommitInOrderWhileTheHeadIsDropped() {
        var order = CommitOrder()
        var token: UInt64 = 0
        var committed: Int64 = 0
        for round in 0..<50 {
            // 100 batches of two outputs each, acknowledged newest batch first: nothing is
            // committable until the oldest batch of the round is acknowledged, then all of them.
            var tokens: [UInt64] = []
            for i in 0..<100 {
                let batch = order.open(offsets: offsets((0, Int64(round * 100 + i + 1))))
                order.add(token, to: batch)
                order.add(token + 1, to: batch)
                tokens += [token, token + 1]
                token += 2
                #expect(order.close(batch) == nil)
            }
            #expect(order.acknowledge(Array(tokens.dropFirst().reversed())) == nil)
            #expect(order.acknowledge([tokens[0]]) == offsets((0, Int64(round * 100 + 100))))
            committed = Int64(round * 100 + 100)
        }
        #expect(committed == 5000)
        #expect(order.outstanding == 0)
        let last = order.open(offsets: offsets((1, 3)))
        #expect(order.close(last) == offsets((1, 3)), "a fresh batch at the head still commits at once")
    }

    @Test func aReplacedOutputKeepsItsBatchWaiting() {
        var order = CommitOrder()
        let a = order.open(offsets: offsets((0, 4)))
        order.add(1, to: a)
        _ = order.close(a)
        order.replace(1, with: 2)
        #expect(order.acknowledge([1]) == nil, "the failed token no longer counts")
        #expect(order.outstanding == 1)
        #expect(order.acknowledge([2]) == offsets((0, 4)))
    }
}

/// Records what the pipeline sends and commits.
private final class Recorder: Sendable {
    let sent = Mutex<[UInt64]>([])
    let commits = Mutex<[[TopicPartitionOffset]]>([])
    let nextToken = Atomic<UInt64>(1)

    func send(_ output: ModerationOutput) throws(KafkaError) -> UInt64 {
        let token = nextToken.add(1, ordering: .relaxed).oldValue
        sent.withLock { $0.append(token) }
        return token
    }
}

private func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else { Issue.record("timed out"); return }
        try await Task.sleep(for: .milliseconds(5))
    }
}

@Suite("Output pipeline")
struct OutputPipelineTests {
    private let message = ModerationOutput.controlled(ChatMessage(id: "m", channel: "general", author: "ana", data: "hi",
                                                                   timestamp: Date(timeIntervalSince1970: 1_800_000_000)))

    private func pipeline(_ recorder: Recorder, limit: Int = 100) -> OutputPipeline {
        OutputPipeline(limit: limit, retryDelay: .milliseconds(10), logger: Logger(label: "test")) { output throws(KafkaError) in
            try recorder.send(output)
        } commit: { offsets in
            recorder.commits.withLock { $0.append(offsets) }
        }
    }

    private func report(_ token: UInt64, failed: Bool = false) -> DeliveryReport {
        DeliveryReport(token: token, topic: "chat_controlled", partition: 0, offset: failed ? nil : 1,
                       result: failed ? .failed(KafkaError(code: .timedOut, reason: "test")) : .acknowledged)
    }

    @Test func publishingDoesNotWaitAndCommitsFollowAcknowledgementsInOrder() {
        let recorder = Recorder()
        let pipeline = pipeline(recorder)
        #expect(pipeline.publish([message, message], committing: offsets((0, 1))))
        #expect(pipeline.publish([message], committing: offsets((0, 2))))
        #expect(recorder.sent.withLock { $0 } == [1, 2, 3], "the second batch went out before the first was acknowledged")
        pipeline.resolve([report(3)])
        #expect(recorder.commits.withLock { $0 }.isEmpty)
        pipeline.resolve([report(1), report(2)])
        #expect(recorder.commits.withLock { $0 } == [offsets((0, 2))])
    }

    @Test func aFailedOutputIsSentAgainAndHoldsTheCommitUntilAcknowledged() async throws {
        let recorder = Recorder()
        let pipeline = pipeline(recorder)
        pipeline.publish([message], committing: offsets((0, 1)))
        pipeline.resolve([report(1, failed: true)])
        try await Task.sleep(for: .milliseconds(300))
        #expect(recorder.sent.withLock { $0 } == [1, 2], "sent again under a new token")
        #expect(recorder.commits.withLock { $0 }.isEmpty)
        pipeline.resolve([report(2)])
        #expect(recorder.commits.withLock { $0 } == [offsets((0, 1))])
    }

    @Test func publishBlocksPastTheLimitUntilAcknowledgementsArrive() async throws {
        let recorder = Recorder()
        let pipeline = pipeline(recorder, limit: 1)
        pipeline.publish([message, message], committing: offsets((0, 1)))
        let done = Atomic<Bool>(false)
        Thread { done.store(pipeline.publish([message], committing: offsets((0, 2))), ordering: .relaxed) }.start()
        try await Task.sleep(for: .milliseconds(200))
        #expect(recorder.sent.withLock { $0.count } == 2, "blocked while 2 > limit are unacknowledged")
        pipeline.resolve([report(1), report(2)])
        try await waitUntil { done.load(ordering: .relaxed) }
        #expect(recorder.sent.withLock { $0.count } == 3)
        pipeline.stop()
    }

    @Test func failedOutputsAreResentOldestFirstWhileNewBatchesWait() async throws {
        let recorder = Recorder()
        let pipeline = pipeline(recorder)
        pipeline.publish([message, message, message], committing: offsets((0, 1)))
        pipeline.resolve([report(3, failed: true), report(1, failed: true), report(2)])
        let done = Atomic<Bool>(false)
        Thread { done.store(pipeline.publish([message], committing: offsets((0, 2))), ordering: .relaxed) }.start()
        try await waitUntil { done.load(ordering: .relaxed) }
        #expect(recorder.sent.withLock { $0 } == [1, 2, 3, 4, 5, 6],
                "1 and 3 resent as 4 and 5 (oldest first), before the next batch's output 6")
        pipeline.resolve([report(4), report(5), report(6)])
        #expect(recorder.commits.withLock { $0 } == [offsets((0, 2))])
    }
}
