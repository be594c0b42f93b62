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
/// my inbox `chat_inbox.<me>` (my direct messages; from the last `firstWindowPerPartition`
/// records of each) and `chat_control` (from the last `controlTailPerPartition`: my block state
/// is the last `blocked`/`unblocked` about me there, else the REST API's `blocked` flag). Records
/// up to the end offsets seen at set-up are the start-up history; later ones are live.
///
/// The first window is small so that the newest messages show at once whatever the size of the
/// topic; older history is read on demand (`requestHistory` the buffer cannot answer): public
/// channels from the REST API, and when it does not answer (and for my DMs, which it does not
/// serve) back from Kafka with the same consumer: the partition that holds the channel (all of
/// the topic's while unknown) is moved back `backwardStep` records below what was read of that
/// channel, read up to there, and so on until a page is full; then it is moved forward to the
/// live position again. Per partition the machine knows the next live offset, so records read
/// twice (after a seek) are skipped by offset and none is lost.
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
        /// `.fetchOlderHistory` answered by the REST API (oldest first; empty: nothing older).
        case olderFetched(channel: String, messages: [ChatMessage])
        /// `.fetchOlderHistory` failed (the API refused, timed out or answered an error).
        case olderFetchFailed(channel: String, before: String?, reason: String)
        /// A `.seek` failed.
        case seekFailed(String)
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
        /// Page of public history older than `before` (nil: the newest page) from the REST API;
        /// answer `.olderFetched` or `.olderFetchFailed`.
        case fetchOlderHistory(channel: String, before: String?)
        /// Move the read position of these assigned partitions (answer `.seekFailed` on failure).
        case seek([TopicPartitionOffset])
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
    /// Records of each `chat_controlled` (and inbox) partition read at start-up (a screen or more
    /// of each busy channel); what is older is read on demand.
    public static let firstWindowPerPartition = 300
    /// A page read back from Kafka ends once it holds this many messages of its channel.
    public static let olderPageSize = 100
    /// Records of a partition read per step back.
    public static let backwardStep = 500
    /// Records one page may read back before it is answered with what it found.
    public static let backwardScanLimit = 50_000
    /// A step back that gets no record this long while connected is ended (its records are gone,
    /// e.g. deleted by retention).
    public static let backwardStall: Duration = .seconds(5)
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

    /// Per history partition (`chat_controlled`, my inbox): where reading began, and the offset
    /// after the last record read forwards (anything below it that comes again is a re-read).
    private var windowStart: [TopicPartition: Int64] = [:]
    private var nextLive: [TopicPartition: Int64] = [:]
    /// Per channel and partition: the channel's records from here on were read (the first window
    /// or pages read back); absent: from `windowStart`.
    private var floors: [String: [TopicPartition: Int64]] = [:]
    /// The partition a channel's records were seen in (they are keyed by channel).
    private var partitionOf: [String: TopicPartition] = [:]
    /// REST requests in flight per channel.
    private var restPending: [String: Int] = [:]
    private var backward: BackwardRead?
    /// Channels waiting for the running read back.
    private var backwardQueue: [String] = []

    /// A page of older messages of `channel` being read back from Kafka: `current` was moved back
    /// to `range.lowerBound` and is read up to `range.upperBound`.
    struct BackwardRead: Sendable {
        var channel: String
        /// Partitions that may still hold older records of the channel.
        var candidates: [TopicPartition]
        var current: TopicPartition
        var range: Range<Int64>
        /// A record of `range` came (a later one above it then ends the step).
        var sawRange = false
        /// The channel's messages found in the step, and in the steps before (oldest first).
        var step: [ChatMessage] = []
        var found: [ChatMessage] = []
        var scanned: Int64 = 0
        var touched: Set<TopicPartition> = []
        var progress: ContinuousClock.Instant
    }
    /// Control events not shown yet, in order; the head waits for its message or its deadline.
    private var held: [(event: ControlEvent, deadline: ContinuousClock.Instant)] = []

    public init(user: String, topics: TopicNames) {
        self.user = user
        self.topics = topics
    }

    public var historyReady: Bool { historyRemaining?.isEmpty == true }
    /// A page is being read back from Kafka (for this channel).
    public var readingBack: String? { backward?.channel }
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
            windowStart = [:]
            for partition in historyEnds.keys { windowStart[partition] = startOffset(history: partition) }
            nextLive = windowStart
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
            checkCaughtUp(now: now, &out)
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
            if canSend, let read = backward, now - read.progress >= Self.backwardStall {
                out.commands.append(.log("reading \(read.current) back from \(read.range.lowerBound) got no record for "
                    + "\(Self.backwardStall): that step ends"))
                stepDone(now: now, &out)
            }
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
                checkCaughtUp(now: now, &out)
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
            for partition in ends.keys {
                windowStart[TopicPartition(topic: inbox, partition: partition)] = 0
                nextLive[TopicPartition(topic: inbox, partition: partition)] = 0
            }
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

        case .olderFetched(let channel, let messages):
            guard phase != .stopped else { break }
            guard let pending = restPending[channel], pending > 0 else {
                preconditionFailure("olderFetched(\(channel)) nobody asked for in state \(phase)")
            }
            restPending[channel] = pending > 1 ? pending - 1 : nil
            out.actions.append(.historyLoaded(channel: channel, messages: messages))

        case .olderFetchFailed(let channel, let before, let reason):
            guard phase != .stopped else { break }
            guard let pending = restPending[channel], pending > 0 else {
                preconditionFailure("olderFetchFailed(\(channel)) nobody asked for in state \(phase)")
            }
            restPending[channel] = pending > 1 ? pending - 1 : nil
            out.commands.append(.log("no history of \(channel) before \(before ?? "now") from the REST API "
                + "(\(reason)): reading it back from Kafka"))
            readBack(channel, now: now, &out)

        case .seekFailed(let reason):
            out.commands.append(.log("seek failed: \(reason)"))
            if backward != nil { finishBackward(now: now, &out) }

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
            backward = nil
            backwardQueue.removeAll()
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
            backward?.progress = now
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
            guard phase != .stopped else { return }
            if historyReady {
                answerHistory(channel, before: before, now: now, &out)
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
        max(0, (historyEnds[partition] ?? 0) - Int64(Self.firstWindowPerPartition))  // safe: a small constant
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
            let partition = TopicPartition(topic: record.topic, partition: record.partition)
            if let read = backward, read.current == partition {
                if read.range.contains(record.offset) {
                    readBackRecord(record, now: now, &out)
                    return
                }
                if read.sawRange, record.offset >= read.range.upperBound { stepDone(now: now, &out) }
            }
            // Below the live position: read before (a seek back re-reads it, or a batch fetched
            // before a seek came late).
            guard record.offset >= nextLive[partition] ?? 0 else { return }
            nextLive[partition] = record.offset + 1
            let loading = historyRemaining?.isEmpty == false
            if loading, record.offset + 1 >= historyEnds[partition] ?? 0 {
                historyRemaining?.remove(partition)
            }
            if let message = decode(record, &out, { try $0.chatMessage() }), belongs(message, to: record, &out),
               remember(message.id) {
                learnPartition(of: message.channel, partition)
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
        checkCaughtUp(now: now, &out)
    }

    /// Only my DMs belong in my inbox (services write it): anything else is skipped with a log line.
    private func belongs(_ message: ChatMessage, to record: ConsumedMessage, _ out: inout Output) -> Bool {
        guard record.topic == inbox, ChannelName.peer(of: message.channel, me: user) == nil else { return true }
        out.commands.append(.log("skipped \(record.position): \(message.channel) is not a DM of \(user)"))
        return false
    }

    /// Ends the start-up reading of either topic once every partition reached its end offset.
    private mutating func checkCaughtUp(now: ContinuousClock.Instant, _ out: inout Output) {
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
            for (channel, before) in waiting { answerHistory(channel, before: before, now: now, &out) }
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

    /// History from what was read; older pages of public channels come from the REST API (or
    /// from Kafka when it does not answer), of my DMs from my inbox in Kafka.
    private mutating func answerHistory(_ channel: String, before: String?, now: ContinuousClock.Instant,
                                        _ out: inout Output) {
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
        if !page.isEmpty {
            out.actions.append(.historyLoaded(channel: channel, messages: page))
        } else if ChannelName.isDirect(channel) {
            readBack(channel, now: now, &out)
        } else {
            restPending[channel, default: 0] += 1
            out.commands.append(.fetchOlderHistory(channel: channel, before: before))
        }
    }

    // MARK: Reading back from Kafka

    private func floor(_ channel: String, _ partition: TopicPartition) -> Int64 {
        floors[channel]?[partition] ?? windowStart[partition] ?? 0
    }

    private mutating func learnPartition(of channel: String, _ partition: TopicPartition) {
        guard partitionOf[channel] != partition, partitionOf.count < Self.seenLimit else { return }
        partitionOf[channel] = partition
    }

    /// Starts reading a page of `channel` back from Kafka (or queues it behind the running one).
    private mutating func readBack(_ channel: String, now: ContinuousClock.Instant, _ out: inout Output) {
        guard backward == nil else {
            backwardQueue.append(channel)
            return
        }
        let topic = ChannelName.isDirect(channel) ? inbox : topics.controlled
        let candidates = (partitionOf[channel].map { [$0] } ?? windowStart.keys.filter { $0.topic == topic }
            .sorted { $0.partition < $1.partition })
            .filter { floor(channel, $0) > 0 }
        guard let first = candidates.first else {
            // Everything of it was read: nothing older.
            out.actions.append(.historyLoaded(channel: channel, messages: []))
            nextBackward(now: now, &out)
            return
        }
        backward = BackwardRead(channel: channel, candidates: candidates, current: first, range: 0..<0, progress: now)
        stepBack(first, now: now, &out)
    }

    private mutating func stepBack(_ partition: TopicPartition, now: ContinuousClock.Instant, _ out: inout Output) {
        guard var read = backward else { preconditionFailure("stepBack without a read back in state \(phase)") }
        let to = floor(read.channel, partition)
        let from = max(0, to - Int64(Self.backwardStep))  // safe: a small constant
        read.current = partition
        read.range = from..<to
        read.sawRange = false
        read.step = []
        read.progress = now
        read.touched.insert(partition)
        backward = read
        out.commands.append(.seek([TopicPartitionOffset(topic: partition.topic, partition: partition.partition,
                                                        offset: .offset(from))]))
    }

    /// A record of the range being read back: a message of the channel joins the page.
    private mutating func readBackRecord(_ record: ConsumedMessage, now: ContinuousClock.Instant, _ out: inout Output) {
        guard var read = backward else { return }
        read.sawRange = true
        read.progress = now
        if let message = decode(record, &out, { try $0.chatMessage() }), message.channel == read.channel,
           belongs(message, to: record, &out) {
            read.step.append(message)
        }
        backward = read
        if record.offset + 1 >= read.range.upperBound { stepDone(now: now, &out) }
    }

    /// The step's range was read: the channel's floor there moves down; the page ends when full,
    /// when nothing older is left or after `backwardScanLimit` records, else the next step.
    private mutating func stepDone(now: ContinuousClock.Instant, _ out: inout Output) {
        guard var read = backward else { preconditionFailure("stepDone without a read back in state \(phase)") }
        floors[read.channel, default: [:]][read.current] = read.range.lowerBound
        read.found = read.step + read.found
        read.scanned += read.range.upperBound - read.range.lowerBound
        if !read.step.isEmpty { read.candidates = [read.current] }  // records are keyed by channel
        read.step = []
        let channel = read.channel
        read.candidates.removeAll { floor(channel, $0) <= 0 }
        backward = read
        if read.found.count >= Self.olderPageSize || read.candidates.isEmpty || read.scanned >= Int64(Self.backwardScanLimit) {  // safe: a constant
            finishBackward(now: now, &out)
        } else {
            let current = read.current
            let next = read.candidates.first { ($0.topic, $0.partition) > (current.topic, current.partition) }
                ?? read.candidates[0]
            stepBack(next, now: now, &out)
        }
    }

    /// Answers the page and moves the partitions read back to their live position again.
    private mutating func finishBackward(now: ContinuousClock.Instant, _ out: inout Output) {
        guard let read = backward else { preconditionFailure("finishBackward without a read back in state \(phase)") }
        backward = nil
        let forward = read.touched.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map {
            TopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: .offset(nextLive[$0] ?? 0))
        }
        if !forward.isEmpty { out.commands.append(.seek(forward)) }
        let found = read.step + read.found
        if found.isEmpty, !read.candidates.isEmpty {
            out.commands.append(.log("no message of \(read.channel) in the last \(read.scanned) records read back"))
        }
        out.actions.append(.historyLoaded(channel: read.channel, messages: found))
        nextBackward(now: now, &out)
    }

    private mutating func nextBackward(now: ContinuousClock.Instant, _ out: inout Output) {
        guard backward == nil, !backwardQueue.isEmpty else { return }
        readBack(backwardQueue.removeFirst(), now: now, &out)
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
