import ChatAPI
import ChatKafka
import ChatModel
import ChatStore
import Foundation
import Hummingbird
import KafkaClient
import Logging
import ServiceLifecycle

/// The store writer (consumer group `kchat-store`: `chat_controlled` + `chat_control` into the
/// database, offsets committed after each written batch) and the REST API on the same store.
/// A ServiceLifecycle service: on graceful shutdown the writer stops after its current batch and
/// the HTTP server finishes its requests; then the Kafka connection and the database close.
public struct StoreService: Service {
    public static let groupID = "kchat-store"

    public var kafka: ChatKafkaConfiguration
    public var database: String
    /// `nil`: no HTTP API (store writer only).
    public var api: APIConfiguration?
    public var logger: Logger

    public init(kafka: ChatKafkaConfiguration, database: String, api: APIConfiguration?, logger: Logger) {
        self.kafka = kafka
        self.database = database
        self.api = api
        self.logger = logger
    }

    public func run() async throws {
        let (store, postgres) = try DatabaseSpec(database).open(logger: logger)
        // Shut down before returning (not in a detached task), so it never outlives the hub's broker.
        let connection = try ChatConnection(kafka, logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let postgres {
                    group.addTask { await postgres.run() }
                    try await postgres.migrate()
                }
                try await connection.ensureTopics()
                try await withThrowingTaskGroup(of: Void.self) { parts in
                    parts.addTask { try await cancelWhenGracefulShutdown { try await writeStore(store, connection: connection) } }
                    if let api {
                        let app = buildApplication(api, store: store, publisher: KafkaMessagePublisher(connection: connection))
                        // Its own ServiceGroup follows this service's graceful shutdown.
                        parts.addTask { try await app.runService(gracefulShutdownSignals: []) }
                        logger.info("REST API on http://\(api.host):\(api.port)")
                    }
                    // Until every part is done; the first error cancels the others.
                    while try await parts.next() != nil {}
                }
                group.cancelAll()  // the PostgreSQL client
            }
        } catch {
            await connection.shutdown()
            throw error
        }
        await connection.shutdown()
    }

    private func writeStore(_ store: any ChatStore, connection: ChatConnection) async throws {
        var configuration = kafka
        configuration.clientID = "kchat-store"
        var consumerConfiguration = KafkaConfiguration(brokers: configuration.brokers, clientID: "kchat-store")
        consumerConfiguration.enableAutoCommit = false
        // A sink, not a chat screen: let the broker gather up to 64 KiB or 100 ms per fetch, so
        // the database commits a few times a second instead of once per message under load
        // (each commit is an fsync competing with the broker's).
        consumerConfiguration.fetchWaitMax = .milliseconds(100)
        consumerConfiguration.extraProperties = ["fetch.min.bytes": "65536"]
            .merging(configuration.properties) { _, user in user }
        let session = try KafkaSession(configuration: consumerConfiguration, logger: logger)
        let writer = StoreWriter(store: store, topics: kafka.topics)
        if try await store.channel(named: ChannelDirectory.defaultChannel) == nil {
            _ = try await store.createChannel(name: ChannelDirectory.defaultChannel, createdBy: nil, at: Date())
        }
        let topics = writer.subscribedTopics + [kafka.topics.channels]
        logger.info("store writer consuming \(topics) as group \(Self.groupID) into \(database)")
        do {
            for try await batch in try session.subscribe(topics: topics, groupID: Self.groupID) {
                try await applyChannelRecords(batch.filter { $0.topic == kafka.topics.channels }, to: store)
                let summary = try await writer.write(batch.filter { $0.topic != kafka.topics.channels }.map {
                    StoreInput(topic: $0.topic, partition: $0.partition, offset: $0.offset, key: $0.key, value: $0.value)
                })
                for skipped in summary.skipped {
                    logger.notice("store skipped \(skipped.topic)[\(skipped.partition)]@\(skipped.offset): \(skipped.reason)")
                }
                try session.scheduleCommit(KafkaSession.commitOffsets(after: batch))
                if Task.isCancelled { break }
            }
        } catch {
            await session.shutdown()
            throw error
        }
        await session.shutdown()
    }
}

/// `chat_channels` records (key = channel, JSON value = created, empty value = deleted) -> the store.
private func applyChannelRecords(_ records: [ConsumedMessage], to store: any ChatStore) async throws {
    for record in records {
        guard let name = record.keyString, ChannelName.isValid(name) else { continue }
        if record.value.isEmpty {
            _ = try await store.deleteChannel(name: name)
        } else if try await store.channel(named: name) == nil {
            struct Info: Decodable { var createdBy: String? }
            let info = try? JSONDecoder().decode(Info.self, from: Data(record.value))
            _ = try await store.createChannel(name: name, createdBy: info?.createdBy, at: record.timestamp ?? Date())
        }
    }
}

/// `POST /v1/channels/{c}/messages` -> the `chat` topic, answered once the broker acknowledged.
struct KafkaMessagePublisher: MessagePublisher {
    let connection: ChatConnection

    func publish(_ message: ChatMessage) async throws {
        try await connection.send(message)
    }
}
