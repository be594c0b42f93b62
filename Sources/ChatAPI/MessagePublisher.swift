import ChatModel

/// Sends a message into the pipeline. The lead's Kafka implementation produces
/// `message.jsonData()` to the `chat` topic with key = `message.channel`, and returns once
/// the broker acknowledged it (or throws). `POST /v1/channels/{c}/messages` answers 202 after
/// `publish` returns; the message reaches history when the store writer has consumed the
/// moderated copy from `chat_controlled`.
public protocol MessagePublisher: Sendable {
    func publish(_ message: ChatMessage) async throws
}
