import KafkaWire
import NIOCore

extension ConsumerGroup {
    /// JoinGroup. Returns an immediate response (an error, or MEMBER_ID_REQUIRED), or nil when the
    /// member now waits for the rebalance to complete; plus responses due to other members.
    mutating func join(_ request: JoinGroupRequest, version: Int16, clientID: String, clientHost: String,
                       nowMs: Int64) -> (JoinGroupResponse?, [Action]) {
        func fail(_ code: KafkaErrorCode) -> (JoinGroupResponse?, [Action]) {
            (JoinGroupResponse(errorCode: code, memberID: request.memberID), [])
        }
        guard (1000...3_600_000).contains(request.sessionTimeoutMs) else { return fail(.invalidSessionTimeout) }
        guard !request.protocols.isEmpty, !request.protocolType.isEmpty else { return fail(.inconsistentGroupProtocol) }
        if state != .empty {
            guard request.protocolType == protocolType else { return fail(.inconsistentGroupProtocol) }
            let names = Set(request.protocols.map(\.name))
            let others = members.values.filter { $0.id != request.memberID }
            guard others.allSatisfy({ !names.isDisjoint(with: $0.protocols.map(\.name)) }) else {
                return fail(.inconsistentGroupProtocol)
            }
        }
        var memberID = request.memberID
        if memberID.isEmpty {
            guard members.count + pendingIDs.count < maxMembers else { return fail(.groupMaxSizeReached) }
            memberID = newMemberID(clientID: clientID)
            if version >= 4 {
                pendingIDs[memberID] = nowMs + Int64(request.sessionTimeoutMs) // safe: widening
                return (JoinGroupResponse(errorCode: .memberIdRequired, memberID: memberID), [])
            }
        } else if members[memberID] == nil, pendingIDs.removeValue(forKey: memberID) == nil {
            return fail(.unknownMemberId)
        }
        joinCounter += 1
        var member = members[memberID] ?? Member(
            id: memberID, clientID: clientID, clientHost: clientHost, sessionTimeoutMs: 0, rebalanceTimeoutMs: 0,
            protocols: [], lastSeenMs: nowMs, joinOrder: joinCounter)
        member.instanceID = request.groupInstanceID
        member.sessionTimeoutMs = Int64(request.sessionTimeoutMs) // safe: widening
        member.rebalanceTimeoutMs = Int64(request.rebalanceTimeoutMs) // safe: widening
        member.protocols = request.protocols
        member.lastSeenMs = nowMs
        member.awaitingJoin = true
        members[memberID] = member

        var actions: [Action] = []
        switch state {
        case .empty:
            protocolType = request.protocolType
            state = .preparingRebalance
            earliestCompletionMs = nowMs + initialRebalanceDelayMs
            rebalanceDeadlineMs = nowMs + max(member.rebalanceTimeoutMs, initialRebalanceDelayMs)
        case .stable, .completingRebalance:
            actions += startRebalance(nowMs: nowMs)
        case .preparingRebalance:
            rebalanceDeadlineMs = max(rebalanceDeadlineMs, nowMs + member.rebalanceTimeoutMs)
        }
        return (nil, actions + tryCompleteJoin(nowMs: nowMs))
    }

    /// SyncGroup: nil when the member waits for the leader's assignment.
    mutating func sync(_ request: SyncGroupRequest, nowMs: Int64) -> (SyncGroupResponse?, [Action]) {
        guard var member = members[request.memberID] else { return (SyncGroupResponse(errorCode: .unknownMemberId), []) }
        guard request.generationID == generation else { return (SyncGroupResponse(errorCode: .illegalGeneration), []) }
        member.lastSeenMs = nowMs
        switch state {
        case .empty: return (SyncGroupResponse(errorCode: .unknownMemberId), [])
        case .preparingRebalance: return (SyncGroupResponse(errorCode: .rebalanceInProgress), [])
        case .stable: return (SyncGroupResponse(errorCode: .none, assignment: member.assignment), [])
        case .completingRebalance:
            member.awaitingSync = true
            members[request.memberID] = member
            guard request.memberID == leader else { return (nil, []) }
            let given = Dictionary(request.assignments.map { ($0.memberID, $0.assignment) }, uniquingKeysWith: { a, _ in a })
            for id in members.keys { members[id]?.assignment = given[id] ?? ByteBuffer() }
            state = .stable
            var actions: [Action] = []
            for (id, waiting) in members where waiting.awaitingSync {
                members[id]?.awaitingSync = false
                actions.append(.sync(memberID: id, SyncGroupResponse(errorCode: .none, assignment: waiting.assignment)))
            }
            return (nil, actions)
        }
    }

    mutating func heartbeat(_ request: HeartbeatRequest, nowMs: Int64) -> KafkaErrorCode {
        guard members[request.memberID] != nil else { return .unknownMemberId }
        guard request.generationID == generation else { return .illegalGeneration }
        members[request.memberID]?.lastSeenMs = nowMs
        return state == .preparingRebalance ? .rebalanceInProgress : .none
    }

    mutating func leave(memberID: String, nowMs: Int64) -> (KafkaErrorCode, [Action]) {
        guard members.removeValue(forKey: memberID) != nil else { return (.unknownMemberId, []) }
        return (.none, membersChanged(nowMs: nowMs))
    }

    /// Called periodically: expires silent members and completes due rebalances.
    mutating func tick(nowMs: Int64) -> [Action] {
        pendingIDs = pendingIDs.filter { $0.value > nowMs }
        let expired = members.values.filter { !$0.awaitingJoin && nowMs - $0.lastSeenMs > $0.sessionTimeoutMs }
        guard !expired.isEmpty else { return tryCompleteJoin(nowMs: nowMs) }
        for member in expired { members.removeValue(forKey: member.id) }
        return membersChanged(nowMs: nowMs)
    }

    private mutating func membersChanged(nowMs: Int64) -> [Action] {
        if members.isEmpty, state != .preparingRebalance {
            state = .empty
            protocolName = nil
            leader = nil
            return []
        }
        var actions: [Action] = []
        if state == .stable || state == .completingRebalance { actions += startRebalance(nowMs: nowMs) }
        return actions + tryCompleteJoin(nowMs: nowMs)
    }

    /// Whether an offset commit from this member/generation is accepted right now.
    func canCommit(memberID: String, generationID: Int32) -> KafkaErrorCode {
        if generationID < 0, memberID.isEmpty { return state == .empty ? .none : .illegalGeneration }
        guard members[memberID] != nil else { return .unknownMemberId }
        guard generationID == generation else { return .illegalGeneration }
        return state == .completingRebalance ? .rebalanceInProgress : .none
    }
}
