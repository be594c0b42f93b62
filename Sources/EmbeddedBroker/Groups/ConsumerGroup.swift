import KafkaWire
import NIOCore

/// The classic (pre-KIP-848) consumer group protocol as a state machine. It does no I/O and
/// keeps no promises: every input returns the responses to send; `GroupCoordinator` sends them.
/// Times are milliseconds on a monotonic clock.
struct ConsumerGroup {
    enum State: String {
        case empty = "Empty"
        case preparingRebalance = "PreparingRebalance"
        case completingRebalance = "CompletingRebalance"
        case stable = "Stable"
    }

    struct Member {
        var id: String
        var instanceID: String?
        var clientID: String
        var clientHost: String
        var sessionTimeoutMs: Int64
        var rebalanceTimeoutMs: Int64
        var protocols: [JoinGroupRequest.GroupProtocol]
        var assignment = ByteBuffer()
        var lastSeenMs: Int64
        var awaitingJoin = false
        var awaitingSync = false
        var joinOrder: Int
    }

    enum Action {
        case join(memberID: String, JoinGroupResponse)
        case sync(memberID: String, SyncGroupResponse)
    }

    let id: String
    let initialRebalanceDelayMs: Int64
    /// Most members, counting ids handed out with MEMBER_ID_REQUIRED and not yet used.
    let maxMembers: Int
    var state = State.empty
    var generation: Int32 = 0
    var protocolType: String?
    var protocolName: String?
    var leader: String?
    var members: [String: Member] = [:]
    /// Ids handed out with MEMBER_ID_REQUIRED, valid until the deadline.
    var pendingIDs: [String: Int64] = [:]
    var rebalanceDeadlineMs: Int64 = 0
    var earliestCompletionMs: Int64 = 0
    var joinCounter = 0
    var idCounter = 0

    init(id: String, initialRebalanceDelayMs: Int64, maxMembers: Int = 1_000) {
        self.id = id
        self.initialRebalanceDelayMs = initialRebalanceDelayMs
        self.maxMembers = maxMembers
    }

    /// Nobody is in the group or about to join it.
    var isIdle: Bool { state == .empty && members.isEmpty && pendingIDs.isEmpty }

    /// Longest prefix of a client id used in a member id: member ids stay short whatever the
    /// client id (which may be up to 32,767 bytes), so they always fit the protocol's strings.
    static let memberIDClientPrefixBytes = 64

    var sortedMembers: [Member] { members.values.sorted { $0.joinOrder < $1.joinOrder } }

    mutating func newMemberID(clientID: String) -> String {
        idCounter += 1
        let random = UInt64.random(in: 0...UInt64.max)
        let prefix = clientID.isEmpty ? "member" : clientID.kafkaPrefix(maxBytes: Self.memberIDClientPrefixBytes)
        return "\(prefix)-\(idCounter)-\(String(random, radix: 16))"
    }

    /// Starts a new rebalance: everyone must join again.
    mutating func startRebalance(nowMs: Int64) -> [Action] {
        var actions: [Action] = []
        for (id, member) in members where member.awaitingSync {
            members[id]?.awaitingSync = false
            actions.append(.sync(memberID: id, SyncGroupResponse(errorCode: .rebalanceInProgress)))
        }
        state = .preparingRebalance
        let timeout = members.values.map(\.rebalanceTimeoutMs).max() ?? 0
        rebalanceDeadlineMs = nowMs + timeout
        return actions
    }

    /// Completes the join phase once every member has rejoined (or the rebalance timed out).
    mutating func tryCompleteJoin(nowMs: Int64) -> [Action] {
        guard state == .preparingRebalance else { return [] }
        let allJoined = members.values.allSatisfy(\.awaitingJoin)
        guard (allJoined && nowMs >= earliestCompletionMs) || nowMs >= rebalanceDeadlineMs else { return [] }
        members = members.filter(\.value.awaitingJoin)
        generation += 1
        guard !members.isEmpty else {
            state = .empty
            protocolName = nil
            leader = nil
            return []
        }
        let ordered = sortedMembers
        protocolName = ordered[0].protocols.map(\.name).first { name in
            ordered.allSatisfy { $0.protocols.contains { $0.name == name } }
        }
        if leader.map({ members[$0] == nil }) ?? true { leader = ordered[0].id }
        state = .completingRebalance
        let everyone = ordered.map { member in
            JoinGroupResponse.Member(memberID: member.id, groupInstanceID: member.instanceID,
                                     metadata: member.protocols.first { $0.name == protocolName }?.metadata ?? ByteBuffer())
        }
        var actions: [Action] = []
        for member in ordered {
            members[member.id]?.awaitingJoin = false
            members[member.id]?.lastSeenMs = nowMs
            actions.append(.join(memberID: member.id, JoinGroupResponse(
                errorCode: .none, generationID: generation, protocolName: protocolName ?? "",
                leader: leader ?? "", memberID: member.id, members: member.id == leader ? everyone : [])))
        }
        return actions
    }
}
