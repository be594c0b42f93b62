import NIOCore

/// SaslHandshake (key 17) v0-1: the client names the SASL mechanism it wants. With v1 the SASL
/// exchange that follows is carried in SaslAuthenticate requests; v0 would be followed by raw,
/// unframed SASL tokens, which this project does not speak (the broker refuses a v0 handshake).
public struct SaslHandshakeRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.saslHandshake

    public var mechanism: String

    public init(mechanism: String) { self.mechanism = mechanism }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        mechanism = try buffer.readKafkaString()
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaString(mechanism)
    }
}

public struct SaslHandshakeResponse: KafkaResponseMessage, Equatable {
    public var errorCode: KafkaErrorCode
    /// The mechanisms the broker enables.
    public var mechanisms: [String]

    public init(errorCode: KafkaErrorCode, mechanisms: [String]) {
        self.errorCode = errorCode
        self.mechanisms = mechanisms
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        errorCode = KafkaErrorCode(rawValue: try buffer.readKafkaInteger())
        mechanisms = try buffer.readKafkaArray { try $0.readKafkaString() }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaInteger(errorCode.rawValue)
        buffer.writeKafkaArray(mechanisms) { $0.writeKafkaString($1) }
    }
}
