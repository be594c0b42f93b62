import ChatKafka
import ChatModel
import ChatStore
import Foundation
import KafkaClient

extension StoreService {
    /// The store writer, started again after a failure (a deadlock, a lost database or Kafka
    /// connection) from the committed offsets, after `restartBackoff`. What the failed run wrote
    /// but did not commit is written again, harmlessly: the store's writes are idempotent.
    /// Returns when cancelled.
    func writeStoreRestarting(_ store: any ChatStore) async throws {
        var backoff = restartBackoff
        while true {
            var wroteBatch = false
            do {
                try await writeStore(store, wroteBatch: &wroteBatch)
                return
            } catch {
                if error is CancellationError || Task.isCancelled { throw error }
                if wroteBatch { backoff.reset() }
                let delay = backoff.next()
                logger.error("store writer failed: \(error); starting again from the committed offsets in \(delay)")
                try await Task.sleep(for: delay)
            }
        }
    }

    /// One run of the writer; `wroteBatch` is set once a batch is in the store.
    private func writeStore(_ store: any ChatStore, wroteBatch: inout Bool) async throws {
        var consumerConfiguration = KafkaConfiguration(brokers: kafka.brokers, clientID: "kchat-store")
        consumerConfiguration.enableAutoCommit = false
        // A sink, not a chat screen: let the broker gather up to 64 KiB or 100 ms per fetch, so
        // the database commits a few times a second instead of once per message under load
        // (each commit is an fsync competing with the broker's).
        consumerConfiguration.fetchWaitMax = .milliseconds(100)
        consumerConfiguration.extraProperties = ["fetch.min.bytes": "65536"]
            .merging(kafka.properties) { _, user in user }
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
                let summary = try await writer.write(batch.filter { $0.topic != kafka.topics.channels }.map(\.topicRecord))
                // Dead letters are acknowledged before the offsets move past them: nothing is lost.
                for letter in summary.deadLetters {
                    logger.notice("dead letter \(letter.topic)[\(letter.partition)]@\(letter.offset): \(letter.reason)")
                    try await session.send(.deadLetter(letter, topics: kafka.topics))
                }
                try session.scheduleCommit(KafkaSession.commitOffsets(after: batch))
                wroteBatch = true
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
        guard let (name, info) = record.channelChange() else { continue }
        if let info {
            guard try await store.channel(named: name) == nil else { continue }
            _ = try await store.createChannel(name: name, createdBy: info.createdBy.isEmpty ? nil : info.createdBy,
                                              at: record.timestamp ?? info.createdAt)
        } else {
            _ = try await store.deleteChannel(name: name)
        }
    }
}
