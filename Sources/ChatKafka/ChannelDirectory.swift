import ChatModel
import Foundation
import KafkaClient
import Synchronization

/// A channel as recorded in the `chat_channels` topic.
public struct ChannelInfo: Codable, Sendable, Equatable {
    public var name: String
    public var createdBy: String
    public var createdAt: Date

    public init(name: String, createdBy: String, createdAt: Date = Date()) {
        self.name = name
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

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
        let info = ChannelInfo(name: name, createdBy: user)
        try await connection.session.send(topic: connection.topics.channels, key: Array(name.utf8),
                                          value: Array(try Self.encoder.encode(info)))
    }

    public func delete(_ name: String) async throws {
        let name = ChannelName.normalize(name)
        try await connection.session.send(topic: connection.topics.channels, key: Array(name.utf8), value: [])
    }

    /// Every channel that exists now, sorted by name; `general` always exists.
    public func list() async throws -> [ChannelInfo] {
        let reader = try TopicReader(connection.configuration, topic: connection.topics.channels, logger: connection.logger)
        let latest = LatestByKey()
        try await reader.read(from: .beginning, follow: false) { batch in
            for message in batch {
                guard let key = message.keyString else { continue }
                latest.set(key, message.value.isEmpty ? nil : try? Self.decoder.decode(ChannelInfo.self, from: Data(message.value)))
            }
        }
        await reader.shutdown()
        var channels = latest.values
        if !channels.contains(where: { $0.name == Self.defaultChannel }) {
            channels.append(ChannelInfo(name: Self.defaultChannel, createdBy: "kchat", createdAt: Date(timeIntervalSince1970: 0)))
        }
        return channels.sorted { $0.name < $1.name }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad timestamp"))
            }
            return date
        }
        return decoder
    }()
}

/// The latest value per key, filled from a consumer thread.
final class LatestByKey: Sendable {
    private let entries = Mutex<[String: ChannelInfo?]>([:])

    func set(_ key: String, _ value: ChannelInfo?) { entries.withLock { $0[key] = .some(value) } }

    var values: [ChannelInfo] { entries.withLock { $0.values.compactMap { $0 } } }
}
