import ChatModel
import Foundation
import KafkaClient

/// Reading kchat's records out of consumed Kafka messages. A client that cannot read a record
/// skips it (and says so once, in its log) and goes on with the next; it never stops on one.
extension ConsumedMessage {
    /// `topic[partition]@offset`, for log lines.
    public var position: String { "\(topic)[\(partition)]@\(offset)" }

    /// The validated chat message this record holds (key = channel when the JSON names none).
    public func chatMessage() throws(ChatModelError) -> ChatMessage {
        let message = try ChatMessage.decode(utf8: value, defaultChannel: keyString)
        try message.validate()
        return message
    }

    /// Where the record was and its bytes, as the moderator and the store writer take it.
    public var topicRecord: TopicRecord {
        TopicRecord(topic: topic, partition: partition, offset: offset, key: key, value: value)
    }

    /// The control event this record holds.
    public func controlEvent() throws(ChatModelError) -> ControlEvent {
        try ControlEvent.decode(utf8: value)
    }
}

extension KafkaMessageView {
    /// Where the record was and its bytes (copied out of the batch), as the moderator takes it.
    public var topicRecord: TopicRecord {
        TopicRecord(topic: topic, partition: partition, offset: offset, key: key, value: value)
    }
}
