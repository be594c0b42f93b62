import KafkaClient
import Testing
@testable import Moderation

@Suite("Commit coalescer")
struct CommitCoalescerTests {
    private func at(_ p: Int32, _ o: Int64) -> TopicPartitionOffset {
        TopicPartitionOffset(topic: "chat", partition: p, offset: .offset(o))
    }

    @Test func aSteadyStreamCommitsOncePerIntervalWithTheHighestOffsets() {
        var coalescer = CommitCoalescer(interval: .seconds(1), idle: .milliseconds(20))
        let start = ContinuousClock.now
        var commits: [[TopicPartitionOffset]] = []
        // One batch per millisecond for 2.5 s: never idle for 20 ms.
        for ms in 0..<2500 {
            let now = start + .milliseconds(ms)
            coalescer.add([at(Int32(ms % 3), Int64(ms + 1))], at: now)
            if let due = coalescer.due(at: now) { commits.append(due) }
        }
        #expect(commits.count == 2, "at 1 s and 2 s, not 2,500 times")
        #expect(commits.first == [at(0, 1000), at(1, 1001), at(2, 999)], "each partition's highest next offset")
        #expect(!coalescer.isEmpty)
        #expect(coalescer.flush() != nil)
        #expect(coalescer.isEmpty)
        #expect(coalescer.flush() == nil)
    }

    @Test func theEndOfABacklogOrAQuietChatCommitsAfterTheIdlePause() {
        var coalescer = CommitCoalescer(interval: .seconds(1), idle: .milliseconds(20))
        let start = ContinuousClock.now
        coalescer.add([at(0, 5)], at: start)
        #expect(coalescer.due(at: start + .milliseconds(19)) == nil)
        #expect(coalescer.due(at: start + .milliseconds(20)) == [at(0, 5)])
        #expect(coalescer.due(at: start + .milliseconds(40)) == nil, "nothing pending any more")
    }

    @Test func lowerOffsetsNeverMoveACommitBackAndLogicalOffsetsAreIgnored() {
        var coalescer = CommitCoalescer()
        let now = ContinuousClock.now
        coalescer.add([at(0, 9), TopicPartitionOffset(topic: "chat", partition: 1, offset: .end)], at: now)
        coalescer.add([at(0, 7)], at: now)
        #expect(coalescer.flush() == [at(0, 9)])
        coalescer.add([TopicPartitionOffset(topic: "chat", partition: 1, offset: .end)], at: now)
        #expect(coalescer.isEmpty)
        #expect(coalescer.due(at: now + .seconds(5)) == nil)
    }
}
