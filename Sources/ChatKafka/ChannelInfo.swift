import ChatModel
import Foundation

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

    /// The one JSON coding of a `chat_channels` value (timestamps as `Timestamp` text).
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
