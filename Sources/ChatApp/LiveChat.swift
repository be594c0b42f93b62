import ChatKafka
import ChatModel
import ChatTUI
import Foundation
import KafkaClient
import Logging
import Synchronization

/// Connects the TUI to Kafka over ONE `KafkaSession` (a producer handle and a consumer handle
/// whose single thread is assigned `chat_controlled`, `chat_control` and my inbox, and moved back
/// and forth with `seek` to read older history when the REST API does not answer). All decisions are
/// `LiveChatMachine`'s; this class only runs it under one `Mutex` and does the I/O it asks for.
/// `post` hands an action to the UI loop and must be thread-safe and non-blocking (it is called
/// with the lock held, so actions reach the UI in the machine's order).
public final class LiveChat: Sendable {
    /// A message typed while the broker is away waits this long in librdkafka's queue (once
    /// produced) before it is reported failed; before, the machine queues it without limit.
    public static let messageTimeout: Duration = .seconds(300)

    let configuration: ChatKafkaConfiguration
    let user: String
    /// Base URL of the hub's REST API (for /users, /stats and older history).
    let apiURL: String
    private let logger: Logger
    let post: @Sendable (TUIAction) -> Void
    let session: KafkaSession
    private let state: Mutex<Shell>

    struct Shell {
        var machine: LiveChatMachine
        var tasks: [Task<Void, Never>] = []
    }

    public init(configuration: ChatKafkaConfiguration, user: String, apiURL: String = "http://127.0.0.1:8080",
                logger: Logger, post: @escaping @Sendable (TUIAction) -> Void) throws {
        var configuration = configuration
        configuration.messageTimeout = max(configuration.messageTimeout, Self.messageTimeout)
        self.configuration = configuration
        self.user = user
        self.apiURL = apiURL
        self.logger = logger
        self.post = post
        session = try KafkaSession(configuration: configuration.kafkaConfiguration(), logger: logger)
        state = Mutex(Shell(machine: LiveChatMachine(user: user, topics: configuration.topics)))
    }

    /// Starts connecting (and retrying until it works); failures are reported to the UI, never thrown.
    public func start() {
        session.setEventHandler { [weak self] event in
            guard let self, case .connectionStateChanged(let state) = event else { return }
            feed(.connection(state))
        }
        session.setDeliveryHandler { [weak self] reports in self?.feed(.delivery(reports)) }
        let ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                self?.feed(.tick)
            }
        }
        state.withLock { $0.tasks.append(ticker) }
        feed(.start)
    }

    /// Executes one effect of the reducer. Called on the UI thread: never blocks on I/O.
    public func perform(_ effect: TUIEffect) {
        feed(.effect(effect))
    }

    /// Sends leave events for the joined channels (when connected) and closes the session.
    public func stop() async {
        let tasks = state.withLock { $0.tasks }
        feed(.stop)
        for task in tasks { task.cancel() }
        await session.shutdown(flushTimeout: .seconds(2))
    }

    /// Runs the machine on `input` and everything it answers at once (produce, assign), posting
    /// its actions in order; slow commands (set-up, REST, timers) are started outside the lock.
    func feed(_ input: LiveChatMachine.Input) {
        let slow = state.withLock { shell -> [LiveChatMachine.Command] in
            var inputs = [input]
            var slow: [LiveChatMachine.Command] = []
            while !inputs.isEmpty {
                let output = shell.machine.handle(inputs.removeFirst(), now: .now)
                for action in output.actions { post(action) }
                for command in output.commands {
                    switch command {
                    case .produce(let outgoing):
                        inputs.append(produce(outgoing))
                    case .assign(let partitions):
                        do {
                            try session.assign(partitions) { [weak self] records in self?.feed(.records(records)) }
                            inputs.append(.assigned)
                        } catch {
                            inputs.append(.assignFailed("\(error)"))
                        }
                    case .seek(let partitions):
                        do {
                            try session.seek(partitions)
                        } catch {
                            inputs.append(.seekFailed("\(error)"))
                        }
                    case .addToAssignment(let partitions):
                        do {
                            try session.addToAssignment(partitions)
                            inputs.append(.inboxAdded)
                        } catch {
                            inputs.append(.inboxAddFailed("\(error)"))
                        }
                    case .log(let line):
                        logger.notice("\(line)")
                    default:
                        slow.append(command)
                    }
                }
            }
            return slow
        }
        for command in slow { run(command) }
    }

    private func produce(_ outgoing: LiveChatMachine.Outgoing) -> LiveChatMachine.Input {
        do {
            let token: UInt64
            // The user's token signs every record (the moderator delivers only signed messages).
            let headers = try configuration.recordHeaders()
            switch outgoing {
            case .message(let message):
                token = try session.produce(.message(message, topics: configuration.topics), headers: headers)
            case .control(let event):
                // My join/leave goes through the moderator like a message (it checks that the event is mine).
                token = try session.produce(.presence(event, topics: configuration.topics), headers: headers)
            }
            return .produced(id: outgoing.id, token: token)
        } catch {
            return .produceFailed(id: outgoing.id, reason: "\(error)")
        }
    }

    /// My inbox's end offsets by partition; nil while it does not exist (no DM to me yet).
    private func inboxEnds() async throws -> [Int32: Int64]? {
        do {
            return try await session.endOffsets(topic: configuration.topics.inbox(user))
        } catch {
            if error.code == .unknownTopic { return nil }
            throw error
        }
    }

    private func run(_ command: LiveChatMachine.Command) {
        let api = APIClient(baseURL: apiURL)
        let task: Task<Void, Never>
        switch command {
        case .setUp:
            task = Task { [weak self] in
                guard let self else { return }
                do {
                    try await ChatConnection.ensureTopics(session: session, configuration: configuration)
                    let controlled = try await session.endOffsets(topic: configuration.topics.controlled)
                    let control = try await session.endOffsets(topic: configuration.topics.control)
                    let inbox = try await inboxEnds()
                    feed(.setUpSucceeded(controlledEnds: controlled, controlEnds: control, inboxEnds: inbox))
                } catch {
                    logger.info("Kafka set-up failed (will retry): \(error)")
                    feed(.setUpFailed("\(error)"))
                }
            }
        case .checkInbox:
            task = Task { [weak self] in
                guard let self else { return }
                do {
                    feed(.inboxChecked(try await inboxEnds()))
                } catch {
                    logger.info("could not look for \(configuration.topics.inbox(user)) (will retry): \(error)")
                    feed(.inboxChecked(nil))
                }
            }
        case .retryAfter(let delay):
            task = Task { [weak self] in
                try? await Task.sleep(for: delay)
                self?.feed(.retryDue)
            }
        case .fetchOlderHistory(let channel, let before):
            task = Task { [weak self] in
                do {
                    let older = try await api.history(channel: channel, before: before)
                    self?.feed(.olderFetched(channel: channel, messages: older))
                } catch {
                    self?.feed(.olderFetchFailed(channel: channel, before: before, reason: "\(error)"))
                }
            }
        case .fetchUsers:
            task = Task { [post] in
                do {
                    let users = try await api.users()
                    post(.info(["users: " + users.map { user in
                        user.name + (user.blocked == true ? " (blocked)" : (user.warnings ?? 0) > 0 ? " (\(user.warnings!) warnings)" : "")
                    }.joined(separator: ", ")]))
                } catch {
                    post(.error("/users: \(error)"))
                }
            }
        case .fetchMyStanding:
            task = Task { [weak self, user, logger] in
                do {
                    let me = try await api.users().first { $0.name == user }
                    self?.feed(.standingFetched(blocked: me?.blocked == true, warnings: me?.warnings))
                } catch {
                    logger.notice("could not ask the REST API whether \(user) is blocked: \(error)")
                }
            }
        case .fetchStats:
            task = Task { [post] in
                do {
                    post(.info(try await api.stats().textLines))
                } catch {
                    post(.error("/stats: \(error)"))
                }
            }
        case .produce, .assign, .addToAssignment, .seek, .log:
            return
        }
        // REST requests are left to end on their own: cancelling a task that awaits URLSession
        // while its request fails deadlocks in swift-corelibs-foundation (issue 5412; seen as
        // `kchat bench startup` hanging in `stop`).
        if case .fetchOlderHistory = command { return }
        if [.fetchUsers, .fetchStats, .fetchMyStanding].contains(command) { return }
        state.withLock { shell in
            shell.tasks.removeAll { $0.isCancelled }
            shell.tasks.append(task)
        }
    }
}
