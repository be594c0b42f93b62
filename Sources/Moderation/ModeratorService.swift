import ChatKafka
import ChatModel
import Foundation
import KafkaClient
import Logging
import Synchronization

/// `kchat moderator`: consumes `chat` in a consumer group, publishes what `ModerationEngine`
/// decides, and commits a batch's offsets only after every output of the batch was acknowledged.
/// On start it rebuilds the engine from `chat_control` and keeps following it (unblocks, and the
/// events of other instances). A crash replays at most the uncommitted batch; the engine's
/// idempotency means no warning is issued twice, and duplicate moderated copies carry the same
/// message id (consumers deduplicate on it).
public final class ModeratorService: Sendable {
    public static let groupID = "kchat-moderator"

    private let configuration: ChatKafkaConfiguration
    private let engine: Locked<ModerationEngine>
    private let logger: Logger
    private let processed = Atomic<Int>(0)

    public init(configuration: ChatKafkaConfiguration, engine: ModerationEngine = ModerationEngine(),
                logger: Logger = Logger(label: "kchat.moderator")) {
        self.configuration = configuration
        self.engine = Locked(engine)
        self.logger = logger
    }

    /// Messages moderated so far.
    public var processedCount: Int { processed.load(ordering: .relaxed) }

    /// Runs until the task is cancelled.
    public func run() async throws {
        let chat = try ChatConnection(configuration, logger: logger)
        try await chat.ensureTopics()
        let control = try TopicReader(configuration, topic: configuration.topics.control, logger: logger)
        let ends = try await control.read(from: .beginning, follow: false) { [engine] batch in
            Self.apply(batch, to: engine)
        }
        logger.info("moderator state rebuilt from \(configuration.topics.control)")
        let acks = PendingAcks()
        chat.session.setDeliveryHandler { reports in acks.resolve(reports) }
        try chat.session.subscribe(topics: [configuration.topics.chat], groupID: Self.groupID) { [self] batch in
            self.handle(batch, chat: chat, acks: acks)
        }
        logger.info("moderating \(configuration.topics.chat) as group \(Self.groupID)")
        // Follow chat_control until cancelled; shutting the reader's session down ends the loop.
        let followed: Result<Void, Error>
        do {
            try await withTaskCancellationHandler {
                try await control.read(from: .offsets(ends), follow: true) { [engine] batch in
                    Self.apply(batch, to: engine)
                }
            } onCancel: {
                Task { await control.shutdown() }
            }
            followed = .success(())
        } catch {
            followed = .failure(error)
        }
        await control.shutdown()
        await chat.shutdown()
        if Task.isCancelled { throw CancellationError() }
        try followed.get()
    }

    private static func apply(_ batch: [ConsumedMessage], to engine: Locked<ModerationEngine>) {
        let events = batch.compactMap { try? ControlEvent.decode(from: Data($0.value)) }
        engine.withLock { engine in
            for event in events { engine.apply(event) }
        }
    }

    /// Moderates one batch, publishes, waits for acknowledgements (retrying while the broker is
    /// away), then commits. Runs on the consumer thread, so consumption pauses meanwhile.
    private func handle(_ batch: [ConsumedMessage], chat: ChatConnection, acks: PendingAcks) {
        let outputs = engine.withLock { engine in
            batch.flatMap { record in
                engine.moderate(ModerationInput(topic: record.topic, partition: record.partition, offset: record.offset,
                                                key: record.key, value: record.value))
            }
        }
        while true {
            acks.reset()
            do {
                for output in outputs { acks.expect(try publish(output, chat: chat)) }
                let failures = acks.wait(timeout: 15)
                if failures?.isEmpty == true { break }
                logger.warning("moderator outputs not acknowledged (\(failures?.first.map { "\($0)" } ?? "timeout")); retrying")
            } catch {
                if error.code == .shutdown { return }
                logger.warning("moderator publish failed: \(error); retrying")
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
        do {
            // Outputs are acknowledged, so the commit need not be waited for: if it is lost, the
            // batch is replayed and the engine's idempotency keeps warnings single.
            try chat.session.scheduleCommit(KafkaSession.commitOffsets(after: batch))
        } catch {
            logger.warning("commit failed (the batch will be replayed, without double warnings): \(error)")
        }
        processed.add(batch.count, ordering: .relaxed)
    }

    private func publish(_ output: ModerationOutput, chat: ChatConnection) throws(KafkaError) -> UInt64 {
        let topics = configuration.topics
        switch output {
        case .controlled(let message):
            return try chat.session.produce(topic: topics.controlled, key: Array(message.channel.utf8), value: Array(message.jsonData()))
        case .control(let event):
            return try chat.session.produce(topic: topics.control, key: Array(event.user.utf8), value: Array(event.jsonData()))
        case .deadLetter(let letter):
            logger.notice("dead letter \(letter.topic)[\(letter.partition)]@\(letter.offset): \(letter.reason)")
            return try chat.session.produce(topic: topics.deadLetter, key: letter.key.map { Array($0.utf8) }, value: Array(letter.jsonData()))
        }
    }
}
