import ChatModel
import Foundation
import KafkaClient
import Synchronization

/// Channel create/list/delete, kept in Kafka itself: the `chat_channels` topic holds one record
/// per change, key = channel, value = `ChannelInfo` JSON, or an empty value for a deletion.
/// The latest record of a key wins (as in a compacted topic).
public struct ChannelDirectory: Sendable {
    public static let defaultChannel = "general"
    let connection: ChatConnection

    public init(connection: ChatConnection) { self.connection = connection }

    public func create(_ name: String, by user: String) async throws {
        let name = ChannelName.normalize(name)
        try ChannelName.validate(name)
        try await connection.session.send(.channelCreated(ChannelInfo(name: name, createdBy: user), topics: connection.topics))
    }

    public func delete(_ name: String) async throws {
        let name = ChannelName.normalize(name)
        try await connection.session.send(.channelDeleted(name, topics: connection.topics))
    }

    /// Every channel that exists now, sorted by name; `general` always exists.
    public func list() async throws -> [ChannelInfo] {
        let reader = try TopicReader(connection.configuration, topic: connection.topics.channels, logger: connection.logger)
        let latest = LatestByKey()
        try await reader.read(from: .beginning, follow: false) { batch in
            for message in batch {
                guard let change = message.channelChange() else { continue }
                latest.set(change.name, change.info)
            }
        }
        await reader.shutdown()
        var channels = latest.values
        if !channels.contains(where: { $0.name == Self.defaultChannel }) {
            channels.append(ChannelInfo(name: Self.defaultChannel, createdBy: "kchat", createdAt: Date(timeIntervalSince1970: 0)))
        }
        return channels.sorted { $0.name < $1.name }
    }

}

/// The latest value per key, filled from a consumer thread.
final class LatestByKey: Sendable {
    private let entries = Mutex<[String: ChannelInfo?]>([:])

    func set(_ key: String, _ value: ChannelInfo?) { entries.withLock { $0[key] = .some(value) } }

    var values: [ChannelInfo] { entries.withLock { $0.values.compactMap { $0 } } }
}
