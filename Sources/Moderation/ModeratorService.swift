import ChatKafka
import ChatModel
import Foundation
import KafkaClient
import Logging
import ServiceLifecycle
import Synchronization

/// `kchat moderator`: consumes `chat` in a consumer group, publishes what `ModerationEngine`
/// decides (creating a user's inbox topic on their first DM), and commits a batch's offsets only after every output of it (and of every batch
/// before it) was acknowledged, at most about once a second while messages keep coming
/// (``CommitCoalescer``). Publishing does not wait for acknowledgements (``OutputPipeline``),
/// so moderation of the next messages overlaps the durability of the previous ones.
/// On start it rebuilds the engine from `chat_control` and keeps following it (unblocks, and the
/// events of other instances). A crash replays at most the uncommitted batches; the engine's
/// idempotency means no warning is issued twice, and duplicate moderated copies carry the same
/// message id (consumers deduplicate on it).
public final class ModeratorService: Service {
    public static let groupID = "kchat-moderator"

    let configuration: ChatKafkaConfiguration
    private let engine: Mutex<ModerationEngine>
    let logger: Logger
    private let processed = Atomic<Int>(0)
    /// Set when authorship is required: every message's `kchat-token` is checked (cached per token).
    private let tokens: Mutex<AuthorTokenCache?>
    /// Whether messages need a valid author token.
    public let requiresAuthorToken: Bool
    /// Offsets to commit, spaced out (each commit is an fsync in front of the next fetch).
    private let commits = Mutex(CommitCoalescer())
    /// Inbox topics known to exist (created by this instance, or found existing).
    private let inboxes = Mutex<Set<String>>([])

    /// With an `authorVerifier`, a message is delivered only when its `kchat-token` header holds a
    /// valid, unexpired token naming its author (``AuthorshipCheck``); without, nothing is checked.
    public init(configuration: ChatKafkaConfiguration, engine: ModerationEngine = ModerationEngine(),
                authorVerifier: AuthorVerifier? = nil, logger: Logger = Logger(label: "kchat.moderator")) {
        self.configuration = configuration
        self.engine = Mutex(engine)
        self.tokens = Mutex(authorVerifier.map { AuthorTokenCache(verifier: $0) })
        self.requiresAuthorToken = authorVerifier != nil
        self.logger = logger
    }

    /// Messages moderated so far.
    public var processedCount: Int { processed.load(ordering: .relaxed) }

    /// Moderates until the task is cancelled (it throws `CancellationError` then) or, in a
    /// `ServiceGroup`, until the group shuts down gracefully (then it returns).
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.moderate() }
        } catch is CancellationError where Task.isShuttingDownGracefully {
            return
        }
    }

    private func moderate() async throws {
        let chat = try ChatConnection(configuration, logger: logger)
        try await chat.ensureTopics()
        let control = try TopicReader(configuration, topic: configuration.topics.control, logger: logger)
        let ends = try await control.read(from: .beginning, follow: false) { [self] batch in
            apply(batch)
        }
        logger.info("moderator state rebuilt from \(configuration.topics.control)")
        let commit: @Sendable ([TopicPartitionOffset]) -> Void = { [logger] offsets in
            do {
                // If the commit is lost, the batches are replayed: the engine's idempotency keeps
                // warnings single and the moderated copies carry the same message ids.
                try chat.session.scheduleCommit(offsets)
            } catch {
                logger.warning("commit failed (the batches will be replayed, without double warnings): \(error)")
            }
        }
        // Commits are spaced out (each is an fsync in front of the next fetch): see CommitCoalescer.
        let pipeline = OutputPipeline(logger: logger) { [self] (output) throws(KafkaError) in
            try publish(output, chat: chat)
        } commit: { [self] offsets in
            commits.withLock { $0.add(offsets, at: .now) }
        }
        let committer = Task { [self] in
            while !Task.isCancelled {
                // Often while commits are pending (they are due 20 ms after the last batch), seldom when idle.
                let pending = commits.withLock { !$0.isEmpty }
                try? await Task.sleep(for: .milliseconds(pending ? 10 : 100))
                if let due = commits.withLock({ $0.due(at: .now) }) { commit(due) }
            }
        }
        chat.session.setDeliveryHandler { [self] reports in
            // An inbox that refused a record may have been deleted: check it again on the resend.
            let failed = reports.filter { $0.error != nil }.map(\.topic)
            if !failed.isEmpty { inboxes.withLock { $0.subtract(failed) } }
            pipeline.resolve(reports)
        }
        try chat.session.subscribe(topics: [configuration.topics.chat], groupID: Self.groupID, onBatch: { [self] batch in
            self.handle(batch, pipeline: pipeline)
        })
        logger.info("moderating \(configuration.topics.chat) as group \(Self.groupID)")
        let warningLimit = engine.withLock { $0.warningLimit }
        let blocks = Task { [self] in await decideBlocks(warningLimit: warningLimit) }
        // Follow chat_control until cancelled; shutting the reader's session down ends the loop.
        let followed: Result<Void, Error>
        do {
            _ = try await withTaskCancellationHandler {
                try await control.read(from: .offsets(ends), follow: true) { [self] batch in
                    apply(batch)
                }
            } onCancel: {
                Task { await control.shutdown() }
            }
            followed = .success(())
        } catch {
            followed = .failure(error)
        }
        blocks.cancel()
        await blocks.value
        pipeline.stop()
        committer.cancel()
        await committer.value
        if let rest = commits.withLock({ $0.flush() }) { commit(rest) }
        await control.shutdown()
        await chat.shutdown()
        chat.session.setDeliveryHandler(nil)  // the handler holds the pipeline, which holds `chat`
        if Task.isCancelled { throw CancellationError() }
        try followed.get()
    }

    /// Applies `chat_control` events to the engine (its warnings and blocks).
    private func apply(_ batch: [ConsumedMessage]) {
        let events = batch.compactMap { try? ControlEvent.decode(utf8: $0.value) }
        engine.withLock { engine in
            for event in events { engine.apply(event) }
        }
    }

    /// Moderates one batch and hands its outputs to the pipeline. Runs on the consumer thread.
    /// The batch's messages are views: the engine gets each record's key and value copied once,
    /// headers are read only when tokens are checked.
    private func handle(_ batch: KafkaMessageBatch, pipeline: OutputPipeline) {
        // Verified before the engine's lock is taken (a new token costs a signature check).
        let checks: [AuthorshipCheck]? = tokens.withLock { cache in
            guard var current = cache else { return nil }
            defer { cache = current }
            return batch.map { current.check(headers: $0.headers) }
        }
        let now = Date()
        let outputs = engine.withLock { engine in
            batch.indices.flatMap { i in
                engine.moderate(batch[i].topicRecord, authorship: checks?[i], now: now)
            }
        }
        guard pipeline.publish(outputs, committing: KafkaSession.commitOffsets(after: batch)) else { return }
        processed.add(batch.count, ordering: .relaxed)
    }

    private func publish(_ output: ModerationOutput, chat: ChatConnection) throws(KafkaError) -> UInt64 {
        let topics = configuration.topics
        switch output {
        case .controlled(let message):
            return try chat.session.produce(.moderated(message, on: topics.controlled))
        case .inbox(let message, let user):
            let inbox = topics.inbox(user)
            if let refused = try ensureInbox(inbox, chat: chat) {
                // Refused for good (the broker's topic limit, a policy): this copy becomes a dead
                // letter so that the moderator goes on; the store and the other inbox still get the DM.
                let letter = DeadLetter(reason: "inbox \(inbox) could not be created: \(refused)", topic: inbox,
                                        partition: -1, offset: -1, key: message.channel,
                                        value: String(decoding: message.jsonData(), as: UTF8.self))
                return try publish(.deadLetter(letter), chat: chat)
            }
            return try chat.session.produce(.moderated(message, on: inbox))
        case .privateCopy(let message):
            return try chat.session.produce(.moderated(message, on: topics.privateMessages))
        case .control(let event):
            return try chat.session.produce(.control(event, topics: topics))
        case .deadLetter(let letter):
            logger.notice("dead letter \(letter.topic)[\(letter.partition)]@\(letter.offset): \(letter.reason)")
            return try chat.session.produce(.deadLetter(letter, topics: topics))
        }
    }

    /// Creates inbox `topic` (one partition) unless this instance knows it exists. Returns the
    /// broker's refusal when it cannot be created for good; throws a transient failure (the
    /// pipeline sends the output again later). Runs on the pipeline's thread: a creation
    /// (one round trip, once per inbox per instance) holds up the outputs behind it.
    private func ensureInbox(_ topic: String, chat: ChatConnection) throws(KafkaError) -> KafkaError? {
        if inboxes.withLock({ $0.contains(topic) }) { return nil }
        do {
            try chat.session.createTopic(name: topic, partitions: 1)
            logger.info("created inbox \(topic)")
        } catch {
            if error.isTransient { throw error }
            if error.code != .topicAlreadyExists { return error }
        }
        inboxes.withLock { _ = $0.insert(topic) }
        return nil
    }
}
