import ChatModel
import Foundation
import KafkaClient

/// One kchat record as Kafka carries it: its topic, key and value. Every kind of record is made
/// here and only here (the key that keeps it in order, the one JSON encoder of its type), and read
/// back by the matching `ConsumedMessage` accessor (`chatMessage()`, `controlEvent()`,
/// `channelChange()`); `KafkaSession.produce(_:)`/`send(_:)` send it.
///
/// | record | topic | key | value |
/// | --- | --- | --- | --- |
/// | a user's message | `chat` | channel | `ChatMessage` JSON |
/// | a user's join/leave | `chat` | channel | `ControlEvent` JSON |
/// | a moderated message | `chat_controlled`, `chat_inbox.<user>`, `chat_private` | channel | `ChatMessage` JSON |
/// | a warning, block, rejection | `chat_control` | user | `ControlEvent` JSON |
/// | a dead letter | `chat_dlq` | the original key | `DeadLetter` JSON |
/// | a channel created / deleted | `chat_channels` | channel | `ChannelInfo` JSON / empty |
public struct ChatRecord: Sendable, Equatable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]

    public init(topic: String, key: [UInt8]?, value: [UInt8]) {
        self.topic = topic
        self.key = key
        self.value = value
    }

    /// A message a user sends, to `chat`: keyed by channel, so a channel's messages stay in order.
    public static func message(_ message: ChatMessage, topics: TopicNames) -> ChatRecord {
        moderated(message, on: topics.chat)
    }

    /// A moderated message on `topic` (`chat_controlled`, an inbox, `chat_private`), keyed by channel.
    public static func moderated(_ message: ChatMessage, on topic: String) -> ChatRecord {
        ChatRecord(topic: topic, key: Array(message.channel.utf8), value: message.jsonBytes())
    }

    /// A user's own join or leave, to `chat` (users may not write `chat_control`; the moderator
    /// passes it on), keyed by its channel so it stays in order with the channel's messages.
    public static func presence(_ event: ControlEvent, topics: TopicNames) -> ChatRecord {
        ChatRecord(topic: topics.chat, key: Array((event.channel ?? event.user).utf8), value: event.jsonBytes())
    }

    /// A warning, block, unblock or rejection on `chat_control`, keyed by the user it is about.
    public static func control(_ event: ControlEvent, topics: TopicNames) -> ChatRecord {
        ChatRecord(topic: topics.control, key: Array(event.user.utf8), value: event.jsonBytes())
    }

    /// A record that could not be used, on `chat_dlq` under its original key.
    public static func deadLetter(_ letter: DeadLetter, topics: TopicNames) -> ChatRecord {
        ChatRecord(topic: topics.deadLetter, key: letter.key.map { Array($0.utf8) }, value: letter.jsonBytes())
    }

    /// A channel created, on `chat_channels` keyed by its name.
    public static func channelCreated(_ info: ChannelInfo, topics: TopicNames) throws -> ChatRecord {
        ChatRecord(topic: topics.channels, key: Array(info.name.utf8), value: Array(try ChannelInfo.encoder.encode(info)))
    }

    /// A channel deleted: an empty value under its name (the latest record of a name wins).
    public static func channelDeleted(_ name: String, topics: TopicNames) -> ChatRecord {
        ChatRecord(topic: topics.channels, key: Array(name.utf8), value: [])
    }
}

extension ConsumedMessage {
    /// A `chat_channels` record: the channel's name and its info, nil info for a deletion; nil
    /// when the key is no channel name. A value that does not decode gives info with only the
    /// name known (`createdBy` empty, `createdAt` the record's timestamp).
    public func channelChange() -> (name: String, info: ChannelInfo?)? {
        guard let name = keyString, ChannelName.isValid(name) else { return nil }
        if value.isEmpty { return (name, nil) }
        let info = try? ChannelInfo.decoder.decode(ChannelInfo.self, from: Data(value))
        return (name, info ?? ChannelInfo(name: name, createdBy: "", createdAt: timestamp ?? Date()))
    }
}

extension KafkaSession {
    /// Produces `record` (see `produce(topic:key:value:headers:)`).
    public func produce(_ record: ChatRecord, headers: [KafkaHeader] = []) throws(KafkaError) -> UInt64 {
        try produce(topic: record.topic, key: record.key, value: record.value, headers: headers)
    }

    /// Sends `record` and waits for its delivery report (see `send(topic:key:value:headers:)`).
    @discardableResult
    public func send(_ record: ChatRecord, headers: [KafkaHeader] = []) async throws(KafkaError) -> DeliveryReport {
        try await send(topic: record.topic, key: record.key, value: record.value, headers: headers)
    }
}
