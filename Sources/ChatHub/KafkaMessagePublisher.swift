import ChatAPI
import ChatKafka
import ChatModel

/// `POST /v1/channels/{c}/messages` -> the `chat` topic, answered once the broker acknowledged.
struct KafkaMessagePublisher: MessagePublisher {
    let connection: ChatConnection

    func publish(_ message: ChatMessage, token: String) async throws {
        try await connection.send(message, token: token)
    }
}
