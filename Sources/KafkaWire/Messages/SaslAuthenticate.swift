import NIOCore

/// SaslAuthenticate (key 36) v0-1: one SASL message of the mechanism chosen by SaslHandshake v1.
public struct SaslAuthenticateRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.saslAuthenticate

    public var authBytes: ByteBuffer

    public init(authBytes: ByteBuffer) { self.authBytes = authBytes }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        authBytes = try buffer.readKafkaBytes()
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaNullableBytes(authBytes)
    }
}

public struct SaslAuthenticateResponse: KafkaResponseMessage, Equatable {
    public var errorCode: KafkaErrorCode
    public var errorMessage: String?
    public var authBytes: ByteBuffer
    /// v1+: how long the session may last before the client must authenticate again (0: no limit).
    public var sessionLifetimeMs: Int64 = 0

    public init(errorCode: KafkaErrorCode, errorMessage: String?, authBytes: ByteBuffer = ByteBuffer(),
                sessionLifetimeMs: Int64 = 0) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.authBytes = authBytes
        self.sessionLifetimeMs = sessionLifetimeMs
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        errorCode = KafkaErrorCode(rawValue: try buffer.readKafkaInteger())
        errorMessage = try buffer.readKafkaNullableString()
        authBytes = try buffer.readKafkaBytes()
        if version >= 1 { sessionLifetimeMs = try buffer.readKafkaInteger() }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaInteger(errorCode.rawValue)
        buffer.writeKafkaNullableString(errorMessage)
        buffer.writeKafkaNullableBytes(authBytes)
        if version >= 1 { buffer.writeKafkaInteger(sessionLifetimeMs) }
    }
}
