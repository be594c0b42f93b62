import KafkaWire
import NIOCore
import Testing
@testable import EmbeddedBroker

@Suite("Consumer group state machine")
struct ConsumerGroupTests {
    private func join(_ member: String, _ protocols: [String] = ["range"]) -> JoinGroupRequest {
        JoinGroupRequest(groupID: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberID: member,
                         protocolType: "consumer",
                         protocols: protocols.map { .init(name: $0, metadata: ByteBuffer(string: member)) })
    }

    /// Joins with v5: the first answer is MEMBER_ID_REQUIRED with the id to use.
    private func newMember(_ group: inout ConsumerGroup, client: String, now: Int64) -> String {
        let (response, actions) = group.join(join(""), version: 5, clientID: client, clientHost: "h", nowMs: now)
        #expect(response?.errorCode == .memberIdRequired)
        #expect(actions.isEmpty)
        return response!.memberID
    }

    @Test func singleMemberFlowAfterInitialDelay() {
        var group = ConsumerGroup(id: "g", initialRebalanceDelayMs: 100)
        let a = newMember(&group, client: "a", now: 0)
        let (immediate, actions) = group.join(join(a), version: 5, clientID: "a", clientHost: "h", nowMs: 0)
        #expect(immediate == nil && actions.isEmpty, "waits for the initial delay")
        #expect(group.tick(nowMs: 50).isEmpty)
        let done = group.tick(nowMs: 100)
        guard case .join(let id, let response)? = done.first else { Issue.record("no join response"); return }
        #expect(id == a)
        #expect(response.generationID == 1 && response.leader == a && response.members.count == 1)
        #expect(group.state == .completingRebalance)
        let sync = SyncGroupRequest(groupID: "g", generationID: 1, memberID: a,
                                    assignments: [.init(memberID: a, assignment: ByteBuffer(string: "all"))])
        let (syncResponse, _) = group.sync(sync, nowMs: 110)
        #expect(syncResponse == nil, "the leader's own answer comes as an action")
        #expect(group.state == .stable)
        #expect(group.heartbeat(HeartbeatRequest(groupID: "g", generationID: 1, memberID: a), nowMs: 200) == .none)
    }

    @Test func secondMemberTriggersRebalanceAndBothGetAssignments() {
        var group = ConsumerGroup(id: "g", initialRebalanceDelayMs: 0)
        let a = newMember(&group, client: "a", now: 0)
        _ = group.join(join(a), version: 5, clientID: "a", clientHost: "h", nowMs: 0)
        _ = group.sync(SyncGroupRequest(groupID: "g", generationID: 1, memberID: a, assignments: []), nowMs: 1)
        #expect(group.state == .stable)

        let b = newMember(&group, client: "b", now: 10)
        let (waitB, _) = group.join(join(b), version: 5, clientID: "b", clientHost: "h", nowMs: 10)
        #expect(waitB == nil)
        #expect(group.state == .preparingRebalance)
        #expect(group.heartbeat(HeartbeatRequest(groupID: "g", generationID: 1, memberID: a), nowMs: 20) == .rebalanceInProgress)
        #expect(group.canCommit(memberID: a, generationID: 1) == .none, "old generation may commit while preparing")

        let (_, actions) = group.join(join(a), version: 5, clientID: "a", clientHost: "h", nowMs: 30)
        let joins = actions.compactMap { if case .join(let id, let r) = $0 { (id, r) } else { nil } }
        #expect(Set(joins.map(\.0)) == [a, b])
        #expect(joins.allSatisfy { $0.1.generationID == 2 && $0.1.leader == a })
        #expect(joins.first { $0.0 == a }!.1.members.count == 2, "the leader sees every member")
        #expect(joins.first { $0.0 == b }!.1.members.isEmpty)

        let (followerWait, _) = group.sync(SyncGroupRequest(groupID: "g", generationID: 2, memberID: b, assignments: []), nowMs: 40)
        #expect(followerWait == nil, "follower waits for the leader")
        let assignments: [SyncGroupRequest.Assignment] = [.init(memberID: a, assignment: ByteBuffer(string: "p0")),
                                                          .init(memberID: b, assignment: ByteBuffer(string: "p1"))]
        let (_, syncs) = group.sync(SyncGroupRequest(groupID: "g", generationID: 2, memberID: a, assignments: assignments), nowMs: 41)
        let given = Dictionary(uniqueKeysWithValues: syncs.compactMap { action -> (String, String)? in
            guard case .sync(let id, let r) = action else { return nil }
            return (id, String(buffer: r.assignment))
        })
        #expect(given == [a: "p0", b: "p1"])
        #expect(group.state == .stable)
    }

    @Test func silentMemberExpiresAndTheOtherRejoins() {
        var group = ConsumerGroup(id: "g", initialRebalanceDelayMs: 0)
        let a = newMember(&group, client: "a", now: 0)
        let b = newMember(&group, client: "b", now: 0)
        _ = group.join(join(a), version: 5, clientID: "a", clientHost: "h", nowMs: 0)
        _ = group.join(join(b), version: 5, clientID: "b", clientHost: "h", nowMs: 0)
        _ = group.join(join(a), version: 5, clientID: "a", clientHost: "h", nowMs: 0) // a rejoins for b
        #expect(group.members.count == 2)
        #expect(group.generation == 2)
        _ = group.sync(SyncGroupRequest(groupID: "g", generationID: group.generation, memberID: group.leader!, assignments: []), nowMs: 1)
        #expect(group.state == .stable)
        for t in stride(from: Int64(1000), through: 12_000, by: 1000) {
            _ = group.heartbeat(HeartbeatRequest(groupID: "g", generationID: group.generation, memberID: a), nowMs: t)
            _ = group.tick(nowMs: t)
        }
        #expect(group.members.keys.sorted() == [a], "b stopped heartbeating and is gone")
        #expect(group.state == .preparingRebalance)
    }

    @Test func errors() {
        var group = ConsumerGroup(id: "g", initialRebalanceDelayMs: 0)
        #expect(group.join(join("stranger"), version: 5, clientID: "x", clientHost: "h", nowMs: 0).0?.errorCode == .unknownMemberId)
        var bad = join("")
        bad.sessionTimeoutMs = 10
        #expect(group.join(bad, version: 5, clientID: "x", clientHost: "h", nowMs: 0).0?.errorCode == .invalidSessionTimeout)
        let a = newMember(&group, client: "a", now: 0)
        _ = group.join(join(a), version: 5, clientID: "a", clientHost: "h", nowMs: 0)
        let b = newMember(&group, client: "b", now: 0)
        #expect(group.join(join(b, ["other"]), version: 5, clientID: "b", clientHost: "h", nowMs: 0).0?.errorCode == .inconsistentGroupProtocol)
        #expect(group.heartbeat(HeartbeatRequest(groupID: "g", generationID: 99, memberID: a), nowMs: 1) == .illegalGeneration)
        #expect(group.canCommit(memberID: "nobody", generationID: 1) == .unknownMemberId)
    }

    @Test func oldJoinVersionGetsAnIdAtOnce() {
        var group = ConsumerGroup(id: "g", initialRebalanceDelayMs: 0)
        let (immediate, actions) = group.join(join(""), version: 3, clientID: "old", clientHost: "h", nowMs: 0)
        #expect(immediate == nil)
        guard case .join(_, let response)? = actions.first else { Issue.record("expected a join"); return }
        #expect(response.errorCode == .none && response.memberID.hasPrefix("old-"))
    }
}
