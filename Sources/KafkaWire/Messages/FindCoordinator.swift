import NIOCore

/// FindCoordinator (key 10) v0-2. This single-node broker is every group's coordinator.
public struct FindCoordinatorRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.findCoordinator

    public var key: String
    public var keyType: Int8 = 0

    public init(key: String, keyType: Int8 = 0) {
        self.key = key
        self.keyType = keyType
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        key = try buffer.readKafkaString()
        if version >= 1 { keyType = try buffer.readKafkaInteger() }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaString(key)
        if version >= 1 { buffer.writeKafkaInteger(keyType) }
    }
}

public struct FindCoordinatorResponse: KafkaResponseMessage, Equatable {
    public var throttleTimeMs: Int32 = 0
    public var errorCode: KafkaErrorCode
    public var errorMessage: String?
    public var nodeID: Int32
    public var host: String
    public var port: Int32

    public init(errorCode: KafkaErrorCode, nodeID: Int32, host: String, port: Int32) {
        self.errorCode = errorCode
        self.nodeID = nodeID
        self.host = host
        self.port = port
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 1 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaInteger(errorCode.rawValue)
        if version >= 1 { buffer.writeKafkaNullableString(errorMessage) }
        buffer.writeKafkaInteger(nodeID)
        buffer.writeKafkaString(host)
        buffer.writeKafkaInteger(port)
    }
}
