import ChatModel

/// Sends a message into the pipeline. The lead's Kafka implementation produces
/// `message.jsonData()` to the `chat` topic with key = `message.channel`, and returns once
/// the broker acknowledged it (or throws). `POST /v1/channels/{c}/messages` answers 202 after
/// `publish` returns; the message reaches history when the store writer has consumed the
/// moderated copy from `chat_controlled`. `token` is the bearer token the request was
/// authenticated with (its subject is the author): it goes in the record's `kchat-token` header,
/// as from any client, since the moderator delivers only messages signed by their author.
public protocol MessagePublisher: Sendable {
    func publish(_ message: ChatMessage, token: String) async throws
}
