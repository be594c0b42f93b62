import Foundation

/// A record on the `chat_dlq` topic: input that could not be parsed, with the reason.
///
/// Wire form: `{"reason":"...","topic":"chat","partition":0,"offset":42,"key":"general","value":"...","timestamp":"..."}`
/// (`key` omitted when the record had none). `value` is the raw value decoded as UTF-8 with
/// invalid sequences replaced by U+FFFD.
public struct DeadLetter: Decodable, Sendable, Equatable {
    public var reason: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: String?
    public var value: String
    public var timestamp: Date

    public init(reason: String, topic: String, partition: Int32, offset: Int64, key: String?,
                value: String, timestamp: Date = Date()) {
        self.reason = reason
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
    }

    /// Builds a dead letter from raw record bytes (lossy UTF-8).
    public init<K: Sequence, V: Sequence>(reason: String, topic: String, partition: Int32, offset: Int64,
                                          rawKey: K?, rawValue: V, timestamp: Date = Date())
        where K.Element == UInt8, V.Element == UInt8 {
        self.init(reason: reason, topic: topic, partition: partition, offset: offset,
                  key: rawKey.map { String(decoding: Array($0), as: UTF8.self) },
                  value: String(decoding: Array(rawValue), as: UTF8.self),
                  timestamp: timestamp)
    }

    enum CodingKeys: String, CodingKey {
        case reason, topic, partition, offset, key, value, timestamp
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reason = try c.decode(String.self, forKey: .reason)
        topic = try c.decode(String.self, forKey: .topic)
        partition = try c.decode(Int32.self, forKey: .partition)
        offset = try c.decode(Int64.self, forKey: .offset)
        key = try c.decodeIfPresent(String.self, forKey: .key)
        value = try c.decode(String.self, forKey: .value)
        timestamp = try c.timestamp(.timestamp)
    }

    /// The canonical wire bytes (fixed key order).
    public func jsonData() -> Data {
        Data(jsonBytes())
    }

    /// `jsonData()` as an array (what a Kafka produce takes), without the copy into `Data`.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter()
        w.string("reason", reason)
        w.string("topic", topic)
        w.int("partition", partition)
        w.int("offset", offset)
        w.string("key", ifPresent: key)
        w.string("value", value)
        w.date("timestamp", timestamp)
        return w.finishBytes()
    }

    public var jsonString: String { String(decoding: jsonData(), as: UTF8.self) }
}
