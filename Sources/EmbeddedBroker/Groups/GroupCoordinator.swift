import KafkaWire
import Logging
import NIOCore

/// Owns every consumer group and the committed offsets. All state lives on one event loop (in a
/// `NIOLoopBoundBox`: touched anywhere else, it traps); requests hop onto it, waiting
/// JoinGroup/SyncGroup requests are held as promises, and a periodic tick expires members and
/// completes rebalances.
final class GroupCoordinator: Sendable {
    let eventLoop: EventLoop
    let syncer: SyncScheduler
    /// Sync the offsets file before acknowledging a commit.
    let fsync: Bool
    private let initialDelayMs: Int64
    /// Longest group id / member id accepted.
    let maxIdentifierBytes: Int
    /// Most members of one group, most groups.
    let maxMembers: Int
    let maxGroups: Int
    let logger: Logger

    private struct Confined {
        var offsetStore: OffsetStore
        var groups: [String: ConsumerGroup] = [:]
        var pendingJoins: [String: [String: (EventLoopPromise<JoinGroupResponse>, Int16)]] = [:]
        var pendingSyncs: [String: [String: EventLoopPromise<SyncGroupResponse>]] = [:]
        var ticker: RepeatedTask?
    }

    private let confined: NIOLoopBoundBox<Confined>

    var offsetStore: OffsetStore { confined.value.offsetStore }
    private var groups: [String: ConsumerGroup] {
        get { confined.value.groups }
        _modify { yield &confined.value.groups }
    }
    private var pendingJoins: [String: [String: (EventLoopPromise<JoinGroupResponse>, Int16)]] {
        get { confined.value.pendingJoins }
        _modify { yield &confined.value.pendingJoins }
    }
    private var pendingSyncs: [String: [String: EventLoopPromise<SyncGroupResponse>]] {
        get { confined.value.pendingSyncs }
        _modify { yield &confined.value.pendingSyncs }
    }

    init(eventLoop: EventLoop, dataDirectory: String, syncer: SyncScheduler, fsync: Bool = true,
         initialDelayMs: Int64, maxIdentifierBytes: Int = 255, maxMembers: Int = 1_000, maxGroups: Int = 10_000,
         logger: Logger) throws {
        self.eventLoop = eventLoop
        self.maxIdentifierBytes = maxIdentifierBytes
        self.maxMembers = maxMembers
        self.maxGroups = maxGroups
        confined = .makeBoxSendingValue(Confined(offsetStore: try OffsetStore(dataDirectory: dataDirectory)), eventLoop: eventLoop)
        self.syncer = syncer
        self.fsync = fsync
        self.initialDelayMs = initialDelayMs
        self.logger = logger
    }

    /// Starts the tick (on the loop).
    func start() {
        eventLoop.execute { [self] in
            confined.value.ticker = eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(50),
                                                                   delay: .milliseconds(50)) { [self] _ in
                let now = Self.nowMs()
                for id in Array(groups.keys) {
                    guard let actions = groups[id]?.tick(nowMs: now) else { continue }
                    perform(actions, group: id)
                }
            }
        }
    }

    /// Stops the tick (on the loop).
    @discardableResult
    func stop() -> EventLoopFuture<Void> {
        eventLoop.submit { [self] in confined.value.ticker?.cancel() }
    }

    static func nowMs() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000) } // safe: UInt64.max / 10^6 < Int64.max

    func groupState(_ id: String) -> ConsumerGroup? { groups[id] }
    var groupIDs: [String] { Array(groups.keys) }

    private func group(_ id: String) -> ConsumerGroup {
        groups[id] ?? ConsumerGroup(id: id, initialRebalanceDelayMs: initialDelayMs, maxMembers: maxMembers)
    }

    private func perform(_ actions: [ConsumerGroup.Action], group: String) {
        for action in actions {
            switch action {
            case .join(let member, let response):
                if let (promise, _) = pendingJoins[group]?.removeValue(forKey: member) { promise.succeed(response) }
            case .sync(let member, let response):
                pendingSyncs[group]?.removeValue(forKey: member)?.succeed(response)
            }
        }
    }

    func join(_ request: JoinGroupRequest, version: Int16, clientID: String, clientHost: String) -> EventLoopFuture<JoinGroupResponse> {
        eventLoop.flatSubmit { [self] in
            func refuse(_ code: KafkaErrorCode) -> EventLoopFuture<JoinGroupResponse> {
                // The member id is echoed only when it is one we could have issued (bounded).
                let memberID = request.memberID.utf8.count <= maxIdentifierBytes ? request.memberID : ""
                return eventLoop.makeSucceededFuture(JoinGroupResponse(errorCode: code, memberID: memberID))
            }
            guard !request.groupID.isEmpty, request.groupID.utf8.count <= maxIdentifierBytes else { return refuse(.invalidGroupId) }
            guard request.memberID.utf8.count <= maxIdentifierBytes else { return refuse(.unknownMemberId) }
            if groups[request.groupID] == nil, groups.count >= maxGroups {
                // Make room by dropping groups nobody is in (their committed offsets stay).
                for (id, group) in groups where group.isIdle && pendingJoins[id]?.isEmpty != false
                    && pendingSyncs[id]?.isEmpty != false {
                    groups.removeValue(forKey: id)
                    pendingJoins.removeValue(forKey: id)
                    pendingSyncs.removeValue(forKey: id)
                }
                if groups.count >= maxGroups {
                    logger.warning("JoinGroup for a new group refused: the coordinator holds its maximum of \(maxGroups) groups")
                    return refuse(.coordinatorNotAvailable)
                }
            }
            var group = group(request.groupID)
            let (immediate, actions) = group.join(request, version: version, clientID: clientID,
                                                  clientHost: clientHost, nowMs: Self.nowMs())
            groups[request.groupID] = group
            let future: EventLoopFuture<JoinGroupResponse>
            if let immediate {
                future = eventLoop.makeSucceededFuture(immediate)
            } else {
                let promise = eventLoop.makePromise(of: JoinGroupResponse.self)
                let memberID = request.memberID.isEmpty ? group.sortedMembers.last!.id : request.memberID
                if let (old, _) = pendingJoins[request.groupID, default: [:]].updateValue((promise, version), forKey: memberID) {
                    old.succeed(JoinGroupResponse(errorCode: .rebalanceInProgress, memberID: memberID))
                }
                future = promise.futureResult
            }
            perform(actions, group: request.groupID)
            return future
        }
    }

    func sync(_ request: SyncGroupRequest) -> EventLoopFuture<SyncGroupResponse> {
        eventLoop.flatSubmit { [self] in
            guard var group = groups[request.groupID] else {
                return eventLoop.makeSucceededFuture(SyncGroupResponse(errorCode: .unknownMemberId))
            }
            let (immediate, actions) = group.sync(request, nowMs: Self.nowMs())
            groups[request.groupID] = group
            let future: EventLoopFuture<SyncGroupResponse>
            if let immediate {
                future = eventLoop.makeSucceededFuture(immediate)
            } else {
                let promise = eventLoop.makePromise(of: SyncGroupResponse.self)
                pendingSyncs[request.groupID, default: [:]][request.memberID]?.succeed(SyncGroupResponse(errorCode: .rebalanceInProgress))
                pendingSyncs[request.groupID, default: [:]][request.memberID] = promise
                future = promise.futureResult
            }
            perform(actions, group: request.groupID)
            return future
        }
    }

    func heartbeat(_ request: HeartbeatRequest) -> EventLoopFuture<KafkaErrorCode> {
        eventLoop.submit { [self] in
            guard var group = groups[request.groupID] else { return .unknownMemberId }
            let code = group.heartbeat(request, nowMs: Self.nowMs())
            groups[request.groupID] = group
            return code
        }
    }

    func leave(_ request: LeaveGroupRequest) -> EventLoopFuture<KafkaErrorCode> {
        eventLoop.submit { [self] in
            guard var group = groups[request.groupID] else { return .unknownMemberId }
            let (code, actions) = group.leave(memberID: request.memberID, nowMs: Self.nowMs())
            groups[request.groupID] = group
            if let (promise, _) = pendingJoins[request.groupID]?.removeValue(forKey: request.memberID) {
                promise.succeed(JoinGroupResponse(errorCode: .unknownMemberId, memberID: request.memberID))
            }
            perform(actions, group: request.groupID)
            return code
        }
    }
}
