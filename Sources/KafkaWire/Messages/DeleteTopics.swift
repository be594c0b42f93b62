import NIOCore

/// DeleteTopics (key 20) v0-1.
public struct DeleteTopicsRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.deleteTopics

    public var topicNames: [String]
    public var timeoutMs: Int32

    public init(topicNames: [String], timeoutMs: Int32) {
        self.topicNames = topicNames
        self.timeoutMs = timeoutMs
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        topicNames = try buffer.readKafkaArray { try $0.readKafkaString() }
        timeoutMs = try buffer.readKafkaInteger()
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaArray(topicNames) { $0.writeKafkaString($1) }
        buffer.writeKafkaInteger(timeoutMs)
    }
}

public struct DeleteTopicsResponse: KafkaResponseMessage, Equatable {
    public struct Result: Sendable, Equatable {
        public var name: String
        public var errorCode: KafkaErrorCode
        public init(name: String, errorCode: KafkaErrorCode) {
            self.name = name
            self.errorCode = errorCode
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var responses: [Result]

    public init(responses: [Result]) { self.responses = responses }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 1 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaArray(responses) { buffer, result in
            buffer.writeKafkaString(result.name)
            buffer.writeKafkaInteger(result.errorCode.rawValue)
        }
    }
}
