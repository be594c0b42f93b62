#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A message received by the consumer.
public struct ConsumedMessage: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    /// Milliseconds since the Unix epoch (record timestamp), or nil when the broker gave none.
    public var timestampMilliseconds: Int64?
    public var headers: [KafkaHeader]

    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8],
        timestampMilliseconds: Int64?, headers: [KafkaHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
        self.headers = headers
    }

    /// The key decoded as UTF-8 (invalid sequences repaired), nil without a key.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
    /// The value decoded as UTF-8 (invalid sequences repaired).
    public var valueString: String { String(decoding: value, as: UTF8.self) }
    /// The record timestamp as a `Date`.
    public var timestamp: Date? {
        timestampMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}

/// A record header (`key` is text, `value` is raw bytes or absent).
public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    public init(key: String, string: String) {
        self.init(key: key, value: Array(string.utf8))
    }
}
