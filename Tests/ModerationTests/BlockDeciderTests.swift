import ChatModel
import Foundation
import Moderation
import Testing

@Suite struct BlockDeciderTests {
    static func warning(_ user: String, _ id: String, count: Int = 1) -> ControlEvent {
        .warning(user: user, warnings: count, limit: 3, channel: "general", messageId: id)
    }

    @Test func theLimitReachingWarningBlocksOnceWhenCaughtUp() {
        var decider = BlockDecider()
        for id in ["a", "b", "c"] { decider.apply(Self.warning("bob", id), partition: 1) }
        #expect(decider.hasPending(in: 1) && !decider.hasPending(in: 0))
        let blocks = decider.caughtUp(partition: 1)
        #expect(blocks.map(\.type) == [.blocked] && blocks.first?.user == "bob")
        #expect(blocks.first?.messageId == "c" && blocks.first?.warnings == 3)
        #expect(decider.caughtUp(partition: 1).isEmpty, "handed out once")
        // Warnings that land before our own block is read back do not block again.
        decider.apply(Self.warning("bob", "d"), partition: 1)
        #expect(decider.caughtUp(partition: 1).isEmpty)
        decider.apply(blocks[0], partition: 1)
        decider.apply(Self.warning("bob", "e"), partition: 1)
        #expect(decider.caughtUp(partition: 1).isEmpty)
    }

    @Test func twoInstancesWarningAtOnceMakeOneBlock() {
        // Moderators A and B each saw one earlier warning and each counted its own as the 2nd:
        // the log holds three distinct warnings, and so one block.
        var decider = BlockDecider()
        decider.apply(Self.warning("eve", "m1", count: 1), partition: 0)
        decider.apply(Self.warning("eve", "m2", count: 2), partition: 0)
        decider.apply(Self.warning("eve", "m3", count: 2), partition: 0)
        #expect(decider.caughtUp(partition: 0).map(\.messageId) == ["m3"])
    }

    @Test func aBlockAlreadyInTheLogIsNotPublishedAgainOnReplay() {
        // A new owner reads the partition from the beginning: the block published by the previous
        // owner follows the warnings, so nothing is pending when it is caught up.
        var decider = BlockDecider()
        let log: [ControlEvent] = [Self.warning("bob", "a"), Self.warning("bob", "b"), Self.warning("bob", "c"),
                                   .blocked(user: "bob", messageId: "c"), Self.warning("bob", "d")]
        for event in log { decider.apply(event, partition: 2) }
        #expect(decider.caughtUp(partition: 2).isEmpty)
        // The same owner replaying over its own state: still nothing.
        for event in log { decider.apply(event, partition: 2) }
        #expect(decider.caughtUp(partition: 2).isEmpty)
    }

    @Test func anUnblockStartsTheCountAgainAndAnOperatorBlockSettlesIt() {
        var decider = BlockDecider()
        for id in ["a", "b", "c"] { decider.apply(Self.warning("bob", id), partition: 0) }
        decider.apply(.unblocked(user: "bob"), partition: 0)
        #expect(decider.caughtUp(partition: 0).isEmpty, "unblocked before the block went out")
        for id in ["d", "e"] { decider.apply(Self.warning("bob", id), partition: 0) }
        #expect(decider.caughtUp(partition: 0).isEmpty, "two warnings since the unblock")
        decider.apply(Self.warning("bob", "f"), partition: 0)
        decider.apply(.blocked(user: "bob", reason: "by an operator"), partition: 0)
        #expect(decider.caughtUp(partition: 0).isEmpty)
        // Warnings without a message id (never from a moderator) count for nothing.
        var other = BlockDecider()
        for _ in 0..<5 { other.apply(.warning(user: "x", warnings: 9, limit: 3), partition: 0) }
        #expect(other.caughtUp(partition: 0).isEmpty)
    }
}
