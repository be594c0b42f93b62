import ChatKafka
import ChatModel
import ChatTUI
import Foundation
import KafkaClient
import Logging

/// Connects the TUI to Kafka: executes the reducer's effects (send, join, leave, history) and
/// turns what arrives (moderated messages, control events, delivery reports, connection state)
/// into actions. `post` hands an action to the UI loop and must be thread-safe.
public final class LiveChat: @unchecked Sendable {
    public static let historyPerChannel = 500
    /// Records of each `chat_controlled` partition read at start-up.
    public static let historyTailPerPartition = 2_000

    let configuration: ChatKafkaConfiguration
    let user: String
    /// Base URL of the hub's REST API (for /users and /stats).
    let apiURL: String
    private let logger: Logger
    let post: @Sendable (TUIAction) -> Void
    let lock = NSLock()
    var connection: ChatConnection?
    var readers: [TopicReader] = []
    var pendingTokens: [UInt64: String] = [:]
    var history: [String: [ChatMessage]] = [:]
    var historyReady = false
    var waitingHistory: [(String, String?)] = []
    var joined: Set<String> = []
    var tasks: [Task<Void, Never>] = []

    public init(configuration: ChatKafkaConfiguration, user: String, apiURL: String = "http://127.0.0.1:8080",
                logger: Logger, post: @escaping @Sendable (TUIAction) -> Void) {
        self.configuration = configuration
        self.user = user
        self.apiURL = apiURL
        self.logger = logger
        self.post = post
    }

    /// Connects and starts reading; failures are reported to the UI, never thrown.
    public func start() {
        let task = Task { [self] in
            do {
                try await connect()
            } catch {
                post(.connection(.disconnected("\(error)")))
                post(.error("Kafka: \(error)"))
            }
        }
        lock.withLock { tasks.append(task) }
    }

    private func connect() async throws {
        let connection = try ChatConnection(configuration, logger: logger)
        lock.withLock { self.connection = connection }
        connection.session.setEventHandler { [weak self] event in
            guard let self, case .connectionStateChanged(let state) = event else { return }
            switch state {
            case .up: post(.connection(.connected(nil)))
            case .down(let reason): post(.connection(.disconnected(reason)))
            case .unknown: break
            }
        }
        connection.session.setDeliveryHandler { [weak self] reports in self?.delivered(reports) }
        try await connection.ensureTopics()
        post(.connection(.connected(nil)))
        let joinedNow = lock.withLock { joined }
        for channel in joinedNow { _ = try? await connection.publish(.join(user: user, channel: channel)) }
        try await followControl()
        try await loadHistoryThenFollow()
    }

    /// Reads the tail of `chat_controlled` (`historyTailPerPartition` records of each partition,
    /// so start-up does not grow with the topic) into per-channel history, then follows it live;
    /// older pages come from the REST API when scrolling up.
    private func loadHistoryThenFollow() async throws {
        let reader = try TopicReader(configuration, topic: configuration.topics.controlled, logger: logger)
        lock.withLock { readers.append(reader) }
        let collected = HistoryCollector(limit: Self.historyPerChannel)
        let ends = try await reader.read(from: .tail(Self.historyTailPerPartition), follow: false) { [logger] batch in
            collected.add(batch.compactMap { record in Self.read(record, logger: logger) { try $0.chatMessage() } })
        }
        let waiting = lock.withLock { () -> [(String, String?)] in
            history = collected.byChannel
            historyReady = true
            defer { waitingHistory.removeAll() }
            return waitingHistory
        }
        for (channel, before) in waiting { answerHistory(channel, before: before) }
        let live = try TopicReader(configuration, topic: configuration.topics.controlled, logger: logger)
        lock.withLock { readers.append(live) }
        let task = Task { [self] in
            _ = try? await live.read(from: .offsets(ends), follow: true) { [post, logger] batch in
                for record in batch {
                    if let message = Self.read(record, logger: logger, { try $0.chatMessage() }) { post(.incoming(message)) }
                }
            }
        }
        lock.withLock { tasks.append(task) }
    }

    /// Reads `chat_control`: my latest block state from the past, then every new event live.
    private func followControl() async throws {
        let reader = try TopicReader(configuration, topic: configuration.topics.control, logger: logger)
        lock.withLock { readers.append(reader) }
        let me = user
        let latest = LatestStanding()
        let ends = try await reader.read(from: .beginning, follow: false) { [logger] batch in
            for record in batch where record.keyString == me {
                if let event = Self.read(record, logger: logger, { try $0.controlEvent() }) { latest.note(event) }
            }
        }
        if let blocked = latest.blockedEvent { post(.control(blocked)) }
        let live = try TopicReader(configuration, topic: configuration.topics.control, logger: logger)
        lock.withLock { readers.append(live) }
        let task = Task { [post] in
            _ = try? await live.read(from: .offsets(ends), follow: true) { [logger] batch in
                for record in batch {
                    if let event = Self.read(record, logger: logger, { try $0.controlEvent() }) { post(.control(event)) }
                }
            }
        }
        lock.withLock { tasks.append(task) }
    }

    /// What `decode` reads from `record`, or nil with one log line: a record the TUI cannot read
    /// is skipped.
    private static func read<T>(_ record: ConsumedMessage, logger: Logger,
                                _ decode: (ConsumedMessage) throws -> T) -> T? {
        do {
            return try decode(record)
        } catch {
            logger.notice("skipped \(record.position): \(error)")
            return nil
        }
    }
}
