import ChatKafka
import ChatModel
import ChatTUI
import Foundation
import KafkaClient

/// Everything `LiveChat` decides, with no I/O: it takes inputs (the reducer's effects, consumed
/// records, delivery reports, connection events, timer ticks) and returns what to do (TUI actions
/// to post, commands for the Kafka session and the REST API). `LiveChat` runs it under one lock.
///
/// One Kafka session: its single consumer is assigned the partitions of `chat_controlled` and of
/// my inbox `chat_inbox.<me>` (my direct messages; from the last `historyTailPerPartition`
/// records of each) and `chat_control` (from the last `controlTailPerPartition`: my block state
/// is the last `blocked`/`unblocked` about me there, else the REST API's `blocked` flag). Records
/// up to the end offsets seen at set-up are the start-up history; later ones are live.
///
/// My inbox exists only once the moderator has delivered a DM to me. While it does not, the
/// machine asks every `inboxPollInterval` (and `inboxCheckAfterSend` after I send a DM) whether
/// it exists now, and adds it to the running assignment from its beginning (all of it is newer
/// than the start-up).
///
/// Phases: `idle` → `settingUp` (topics exist? end offsets?) → `assigning` → `live`; a set-up that
/// fails goes to `waitingToRetry` and tries again after a backoff (or at once when the session
/// sees a broker answer), forever. Own messages typed while not `live(up: true)` are queued (the
/// TUI shows them pending) and produced in order once records can flow.
public struct LiveChatMachine: Sendable {
    public enum Phase: Sendable, Equatable {
        case idle
        case settingUp(attempt: Int)
        case waitingToRetry(attempt: Int)
        case assigning(attempt: Int)
        /// Assigned; `up` while the session reaches a broker.
        case live(up: Bool)
        case stopped
    }

    public enum Input: Sendable {
        case start
        case effect(TUIEffect)
        /// Set-up answered: end offsets of `chat_controlled`, `chat_control` and my inbox by
        /// partition (`inboxEnds` nil: my inbox does not exist yet).
        case setUpSucceeded(controlledEnds: [Int32: Int64], controlEnds: [Int32: Int64], inboxEnds: [Int32: Int64]? = nil)
        case setUpFailed(String)
        case retryDue
        case assigned
        case assignFailed(String)
        case connection(ConnectionState)
        case records([ConsumedMessage])
        /// The session accepted the produce of `id` with delivery `token`.
        case produced(id: String, token: UInt64)
        case produceFailed(id: String, reason: String)
        case delivery([DeliveryReport])
        case tick
        case stop
        /// The REST API's view of me (asked when the tail of `chat_control` says nothing about me).
        case standingFetched(blocked: Bool, warnings: Int?)
        /// `.checkInbox` answered: my inbox's end offsets, nil while it does not exist.
        case inboxChecked([Int32: Int64]?)
        /// `.addToAssignment` answered.
        case inboxAdded
        case inboxAddFailed(String)
    }

    /// Something to send to Kafka: an own chat message or a control event of mine.
    public enum Outgoing: Sendable, Equatable {
        case message(ChatMessage)
        case control(ControlEvent)

        /// For delivery bookkeeping: the message id, or a synthetic one for a control event.
        var id: String {
            switch self {
            case .message(let m): m.id
            case .control(let e): "control:\(e.type.rawValue):\(e.channel ?? ""):\(e.timestamp.timeIntervalSince1970)"
            }
        }
    }

    public enum Command: Sendable, Equatable {
        /// Make sure the topics exist and read the end offsets of both topics; answer with
        /// `.setUpSucceeded` or `.setUpFailed`.
        case setUp
        /// Feed `.retryDue` after this long.
        case retryAfter(Duration)
        /// Assign the session's consumer these partitions; answer `.assigned` / `.assignFailed`.
        case assign([TopicPartitionOffset])
        /// Does my inbox exist now? Answer `.inboxChecked` with its end offsets (nil: not yet).
        case checkInbox
        /// Add these partitions (my inbox) to the running assignment, leaving the assigned ones
        /// where they are; answer `.inboxAdded` / `.inboxAddFailed`.
        case addToAssignment([TopicPartitionOffset])
        /// Produce; answer `.produced(id:token:)` or `.produceFailed`.
        case produce(Outgoing)
        /// Page of public history older than `before` from the REST API (answer `.historyLoaded`).
        case fetchOlderHistory(channel: String, before: String)
        case fetchUsers
        case fetchStats
        /// Ask the REST API whether I am blocked; answer `.standingFetched` (or nothing on failure).
        case fetchMyStanding
        /// A log line (e.g. a skipped record).
        case log(String)
    }

    public struct Output: Sendable, Equatable {
        public var actions: [TUIAction] = []
        public var commands: [Command] = []
    }

    public static let historyPerChannel = 500
    /// Records of each `chat_controlled` (and inbox) partition read at start-up.
    public static let historyTailPerPartition = 2_000
    /// How often to look for my inbox while it does not exist (no DM to me yet).
    public static let inboxPollInterval: Duration = .seconds(3)
    /// After I send a DM while my inbox does not exist: the moderator creates it on delivery.
    public static let inboxCheckAfterSend: Duration = .seconds(1)
    /// Records of each `chat_control` partition read at start-up for my block state; when they say
    /// nothing about me, the REST API (the store) is asked.
    public static let controlTailPerPartition = 2_000
    /// How long a control event naming a message waits for that message.
    public static let holdTimeout: Duration = .seconds(2)
    /// Start-up reading that makes no progress this long while connected is ended (a partition
    /// whose last offsets hold no record, e.g. transaction markers, would otherwise never finish).
    public static let catchUpStall: Duration = .seconds(30)
    /// Message ids remembered for duplicates and held events.
    static let seenLimit = 50_000

    /// Where my inbox is: not in the assignment (checked again at `nextCheck`), being checked,
    /// being added, or assigned.
    public enum InboxPhase: Sendable, Equatable {
        case unknown
        case missing(nextCheck: ContinuousClock.Instant)
        case checking
        case adding
        case assigned
    }

    public let user: String
    public let topics: TopicNames
    public private(set) var phase: Phase = .idle
    public private(set) var inboxPhase: InboxPhase = .unknown
    /// `chat_inbox.<user>`.
    public var inbox: String { topics.inbox(user) }

    /// Typed while records could not flow, oldest first.
    public private(set) var queued: [Outgoing] = []
    /// Produced, waiting for the delivery report: token -> message id (nil for control events).
    private var inFlight: [UInt64: String?] = [:]
    public private(set) var joined: Set<String> = []

    /// Start-up end offsets of the partitions that hold messages (`chat_controlled`, my inbox).
    private var historyEnds: [TopicPartition: Int64] = [:]
    private var controlEnds: [Int32: Int64] = [:]
    /// Partitions still being read up to their start-up end offset.
    private var historyRemaining: Set<TopicPartition>?
    private var controlRemaining: Set<Int32>?
    private var history: [String: [ChatMessage]] = [:]
    private var waitingHistory: [(channel: String, before: String?)] = []
    /// My last `blocked`/`unblocked` in the tail of `chat_control` (or live since): once one was
    /// seen, the REST API is not needed (nor believed: it may lag).
    private var latestBlock: ControlEvent?
    private var sawMyStanding = false
    private var controlCaughtUp = false
    /// When start-up reading last moved (a record, or the broker coming back).
    private var catchUpProgress: ContinuousClock.Instant?

    private var seen: Set<String> = []
    private var seenOrder: [String] = []
    /// Control events not shown yet, in order; the head waits for its message or its deadline.
    private var held: [(event: ControlEvent, deadline: ContinuousClock.Instant)] = []

    public init(user: String, topics: TopicNames) {
        self.user = user
        self.topics = topics
    }

    public var historyReady: Bool { historyRemaining?.isEmpty == true }
    public var canSend: Bool { phase == .live(up: true) }
    public var heldCount: Int { held.count }

    /// Backoff before set-up attempt `attempt + 1`: 0.5 s, 1 s, 2 s, 4 s, then 5 s.
    public static func backoff(afterAttempt attempt: Int) -> Duration {
        .milliseconds(min(5_000, 500 << min(attempt - 1, 4)))
    }

    public mutating func handle(_ input: Input, now: ContinuousClock.Instant) -> Output {
        var out = Output()
        switch input {
        case .start:
            guard case .idle = phase else { preconditionFailure("start in state \(phase)") }
            phase = .settingUp(attempt: 1)
            out.commands.append(.setUp)

        case .setUpSucceeded(let controlled, let control, let inboxEnds):
            guard case .settingUp(let attempt) = phase else {
                if phase == .stopped { break }
                preconditionFailure("setUpSucceeded in state \(phase)")
            }
            historyEnds = [:]
            for (partition, end) in controlled { historyEnds[TopicPartition(topic: topics.controlled, partition: partition)] = end }
            for (partition, end) in inboxEnds ?? [:] { historyEnds[TopicPartition(topic: inbox, partition: partition)] = end }
            inboxPhase = inboxEnds == nil ? .unknown : .assigned
            controlEnds = control
            phase = .assigning(attempt: attempt)
            out.commands.append(.assign(startPartitions()))

        case .setUpFailed(let reason), .assignFailed(let reason):
            let attempt: Int
            switch phase {
            case .settingUp(let a), .assigning(let a): attempt = a
            case .stopped: return out
            default: preconditionFailure("\(input) in state \(phase)")
            }
            phase = .waitingToRetry(attempt: attempt)
            out.actions.append(.connection(.disconnected(reason)))
            out.commands.append(.retryAfter(Self.backoff(afterAttempt: attempt)))

        case .retryDue:
            switch phase {
            case .waitingToRetry(let attempt):
                phase = .settingUp(attempt: attempt + 1)
                out.commands.append(.setUp)
            case .idle:
                preconditionFailure("retryDue in state \(phase)")
            case .settingUp, .assigning, .live, .stopped:
                // A stale timer: a broker answered first, and the retry it was for has already
                // run (and may have connected since). Found by the restart test under load.
                break
            }

        case .assigned:
            guard case .assigning = phase else {
                if phase == .stopped { break }
                preconditionFailure("assigned in state \(phase)")
            }
            historyRemaining = Set(historyEnds.filter { startOffset(history: $0.key) < $0.value }.keys)
            controlRemaining = Set(controlEnds.filter { startOffset(control: $0.key) < $0.value }.keys)
            phase = .live(up: true)
            if inboxPhase != .assigned { inboxPhase = .missing(nextCheck: now + Self.inboxPollInterval) }
            catchUpProgress = now
            out.actions.append(.connection(.connected(nil)))
            checkCaughtUp(&out)
            flushQueue(&out)

        case .connection(let state):
            connectionChanged(state, now: now, &out)

        case .effect(let effect):
            perform(effect, now: now, &out)

        case .records(let records):
            guard phase != .stopped else { break }
            for record in records { consume(record, now: now, &out) }
            releaseHeld(now: now, &out)

        case .produced(let id, let token):
            inFlight[token] = id.hasPrefix("control:") ? String?.none : id

        case .produceFailed(let id, let reason):
            if !id.hasPrefix("control:") { out.actions.append(.delivery(id: id, result: .failed(reason))) }

        case .delivery(let reports):
            for report in reports {
                guard let entry = inFlight.removeValue(forKey: report.token), let id = entry else { continue }
                switch report.result {
                case .acknowledged: out.actions.append(.delivery(id: id, result: .delivered))
                case .failed(let error): out.actions.append(.delivery(id: id, result: .failed(error.reason)))
                }
            }

        case .tick:
            releaseHeld(now: now, &out)
            if canSend, case .missing(let due) = inboxPhase, now >= due {
                inboxPhase = .checking
                out.commands.append(.checkInbox)
            }
            if canSend, let since = catchUpProgress, now - since >= Self.catchUpStall,
               historyRemaining?.isEmpty == false || controlRemaining?.isEmpty == false {
                let history = (historyRemaining ?? []).sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
                    .map { "\($0.topic)[\($0.partition)]" }
                out.commands.append(.log("start-up reading made no progress for \(Self.catchUpStall); partitions "
                    + "\(history) and \(controlRemaining?.sorted() ?? []) of \(topics.control) end it"))
                historyRemaining = []
                controlRemaining = []
                checkCaughtUp(&out)
            }

        case .standingFetched(let blocked, let warnings):
            // A block or unblock read from Kafka meanwhile is newer than what the store said.
            if blocked, !sawMyStanding, phase != .stopped {
                sawMyStanding = true
                out.actions.append(.control(.blocked(user: user, warnings: warnings, timestamp: Date())))
            }

        case .inboxChecked(let ends):
            guard inboxPhase == .checking else {
                if phase == .stopped { break }
                preconditionFailure("inboxChecked in inbox phase \(inboxPhase)")
            }
            guard let ends, !ends.isEmpty, phase != .stopped else {
                inboxPhase = .missing(nextCheck: now + Self.inboxPollInterval)
                break
            }
            // It did not exist at set-up: everything in it came later, so it is all live.
            inboxPhase = .adding
            out.commands.append(.addToAssignment(ends.keys.sorted().map {
                TopicPartitionOffset(topic: inbox, partition: $0, offset: .beginning)
            }))

        case .inboxAdded, .inboxAddFailed:
            guard inboxPhase == .adding else {
                if phase == .stopped { break }
                preconditionFailure("\(input) in inbox phase \(inboxPhase)")
            }
            if case .inboxAddFailed(let reason) = input {
                out.commands.append(.log("could not add \(inbox) to the assignment (will retry): \(reason)"))
                inboxPhase = .missing(nextCheck: now + Self.inboxPollInterval)
            } else {
                inboxPhase = .assigned
            }

        case .stop:
            if canSend {
                for channel in joined.sorted() {
                    out.commands.append(.produce(.control(.leave(user: user, channel: channel))))
                }
            }
            // The TUI asked before quitting with these (`TUIState.requestQuit`); the log keeps their ids.
            let unsent = queued.compactMap { if case .message(let m) = $0 { m.id } else { nil } }
            if !unsent.isEmpty {
                out.commands.append(.log("quit with \(unsent.count) unsent messages dropped: \(unsent.joined(separator: ", "))"))
            }
            queued.removeAll()
            phase = .stopped
        }
        return out
    }

    // MARK: Connection

    private mutating func connectionChanged(_ state: ConnectionState, now: ContinuousClock.Instant, _ out: inout Output) {
        switch (state, phase) {
        case (.down(let reason), .live):
            phase = .live(up: false)
            out.actions.append(.connection(.disconnected(reason)))
        case (.down(let reason), .settingUp), (.down(let reason), .waitingToRetry), (.down(let reason), .assigning):
            out.actions.append(.connection(.disconnected(reason)))
        case (.up, .live(up: false)):
            phase = .live(up: true)
            catchUpProgress = now
            out.actions.append(.connection(.connected(nil)))
            flushQueue(&out)
        case (.up, .waitingToRetry(let attempt)):
            // A broker answers: try again now rather than after the backoff.
            phase = .settingUp(attempt: attempt + 1)
            out.commands.append(.setUp)
        default:
            break  // `connected` is said only once the assignment is in place
        }
    }

    // MARK: Effects

    private mutating func perform(_ effect: TUIEffect, now: ContinuousClock.Instant, _ out: inout Output) {
        switch effect {
        case .send(let message):
            do {
                try message.validate()
            } catch {
                out.actions.append(.delivery(id: message.id, result: .failed("\(error)")))
                return
            }
            send(.message(message), &out)
            // My first DM: the moderator creates my inbox when it delivers it; look soon.
            if ChannelName.isDirect(message.channel), case .missing(let due) = inboxPhase {
                inboxPhase = .missing(nextCheck: min(due, now + Self.inboxCheckAfterSend))
            }
        case .joinChannel(let channel):
            joined.insert(channel)
            send(.control(.join(user: user, channel: channel)), &out)
        case .leaveChannel(let channel):
            joined.remove(channel)
            send(.control(.leave(user: user, channel: channel)), &out)
        case .requestHistory(let channel, let before):
            if historyReady {
                answerHistory(channel, before: before, &out)
            } else {
                waitingHistory.append((channel, before))
            }
        case .requestUsers:
            out.commands.append(.fetchUsers)
        case .requestStats:
            out.commands.append(.fetchStats)
        case .quit, .bell:
            break
        }
    }

    private mutating func send(_ outgoing: Outgoing, _ out: inout Output) {
        guard phase != .stopped else { return }
        if canSend {
            out.commands.append(.produce(outgoing))
        } else {
            queued.append(outgoing)
        }
    }

    private mutating func flushQueue(_ out: inout Output) {
        out.commands += queued.map(Command.produce)
        queued.removeAll()
    }

    // MARK: Consuming

    private func startOffset(history partition: TopicPartition) -> Int64 {
        max(0, (historyEnds[partition] ?? 0) - Int64(Self.historyTailPerPartition))  // safe: a small constant
    }

    private func startOffset(control partition: Int32) -> Int64 {
        max(0, (controlEnds[partition] ?? 0) - Int64(Self.controlTailPerPartition))  // safe: a small constant
    }

    /// `chat_controlled`, then my inbox, then `chat_control`.
    private func startPartitions() -> [TopicPartitionOffset] {
        let history = historyEnds.keys.sorted {
            ($0.topic == topics.controlled ? 0 : 1, $0.partition) < ($1.topic == topics.controlled ? 0 : 1, $1.partition)
        }
        return history.map {
            TopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: .offset(startOffset(history: $0)))
        } + controlEnds.keys.sorted().map {
            TopicPartitionOffset(topic: topics.control, partition: $0, offset: .offset(startOffset(control: $0)))
        }
    }

    private mutating func consume(_ record: ConsumedMessage, now: ContinuousClock.Instant, _ out: inout Output) {
        if historyRemaining?.isEmpty == false || controlRemaining?.isEmpty == false { catchUpProgress = now }
        if record.topic == topics.controlled || record.topic == inbox {
            let loading = historyRemaining?.isEmpty == false
            let partition = TopicPartition(topic: record.topic, partition: record.partition)
            if loading, record.offset + 1 >= historyEnds[partition] ?? 0 {
                historyRemaining?.remove(partition)
            }
            if let message = decode(record, &out, { try $0.chatMessage() }), belongs(message, to: record, &out),
               remember(message.id) {
                if loading {
                    addToHistory(message)
                } else {
                    addToHistory(message)
                    out.actions.append(.incoming(message))
                    releaseHeld(now: now, &out)
                }
            }
        } else if record.topic == topics.control {
            let catchingUp = controlRemaining?.isEmpty == false
            if catchingUp, record.offset + 1 >= controlEnds[record.partition] ?? 0 {
                controlRemaining?.remove(record.partition)
            }
            if let event = decode(record, &out, { try $0.controlEvent() }) {
                if event.user == user, event.type == .blocked || event.type == .unblocked { sawMyStanding = true }
                if catchingUp {
                    if event.user == user {
                        switch event.type {
                        case .blocked: latestBlock = event
                        case .unblocked: latestBlock = nil
                        default: break
                        }
                    }
                } else {
                    hold(event, now: now, &out)
                }
            }
        }
        checkCaughtUp(&out)
    }

    /// Only my DMs belong in my inbox (services write it): anything else is skipped with a log line.
    private func belongs(_ message: ChatMessage, to record: ConsumedMessage, _ out: inout Output) -> Bool {
        guard record.topic == inbox, ChannelName.peer(of: message.channel, me: user) == nil else { return true }
        out.commands.append(.log("skipped \(record.position): \(message.channel) is not a DM of \(user)"))
        return false
    }

    /// Ends the start-up reading of either topic once every partition reached its end offset.
    private mutating func checkCaughtUp(_ out: inout Output) {
        if controlRemaining?.isEmpty == true, !controlCaughtUp {
            controlCaughtUp = true
            if let block = latestBlock {
                out.actions.append(.control(block))
                latestBlock = nil
            } else if !sawMyStanding {
                out.commands.append(.fetchMyStanding)
            }
        }
        if historyRemaining?.isEmpty == true, !waitingHistory.isEmpty {
            let waiting = waitingHistory
            waitingHistory.removeAll()
            for (channel, before) in waiting { answerHistory(channel, before: before, &out) }
        }
    }

    /// A warning or block naming a message waits for that message (or `holdTimeout`); events
    /// after a waiting one wait behind it, so their order is kept. A `rejected` event's message is
    /// never forwarded by the moderator, so it is not waited for.
    private mutating func hold(_ event: ControlEvent, now: ContinuousClock.Instant, _ out: inout Output) {
        held.append((event, now + Self.holdTimeout))
        releaseHeld(now: now, &out)
    }

    private mutating func releaseHeld(now: ContinuousClock.Instant, _ out: inout Output) {
        while let first = held.first {
            let (event, deadline) = first
            let waitsFor = (event.type == .warning || event.type == .blocked) ? event.messageId : nil
            if let id = waitsFor, !seen.contains(id), now < deadline { break }
            held.removeFirst()
            out.actions.append(.control(event))
        }
    }

    /// True the first time an id is seen (a message replayed by the moderator is shown once).
    private mutating func remember(_ id: String) -> Bool {
        guard seen.insert(id).inserted else { return false }
        seenOrder.append(id)
        if seenOrder.count > Self.seenLimit {
            let drop = seenOrder.count - Self.seenLimit / 2
            for old in seenOrder.prefix(drop) { seen.remove(old) }
            seenOrder.removeFirst(drop)
        }
        return true
    }

    private mutating func addToHistory(_ message: ChatMessage) {
        history[message.channel, default: []].append(message)
        if history[message.channel]!.count > Self.historyPerChannel * 2 {
            history[message.channel]!.removeFirst(history[message.channel]!.count - Self.historyPerChannel)
        }
    }

    /// History from what was read; older pages of public channels come from the REST API.
    private func answerHistory(_ channel: String, before: String?, _ out: inout Output) {
        let all = history[channel] ?? []
        let page: [ChatMessage]
        if let before {
            if let index = all.firstIndex(where: { $0.id == before }) {
                page = Array(all[max(0, index - 100)..<index])
            } else {
                page = []
            }
        } else {
            page = Array(all.suffix(100))
        }
        if page.isEmpty, let before, !ChannelName.isDirect(channel) {
            out.commands.append(.fetchOlderHistory(channel: channel, before: before))
        } else {
            out.actions.append(.historyLoaded(channel: channel, messages: page))
        }
    }

    private func decode<T>(_ record: ConsumedMessage, _ out: inout Output,
                           _ body: (ConsumedMessage) throws -> T) -> T? {
        do {
            return try body(record)
        } catch {
            out.commands.append(.log("skipped \(record.position): \(error)"))
            return nil
        }
    }
}
