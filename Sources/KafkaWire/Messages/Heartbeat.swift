import NIOCore

/// Heartbeat (key 12) v0-3.
public struct HeartbeatRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.heartbeat

    public var groupID: String
    public var generationID: Int32
    public var memberID: String
    public var groupInstanceID: String?

    public init(groupID: String, generationID: Int32, memberID: String) {
        self.groupID = groupID
        self.generationID = generationID
        self.memberID = memberID
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        groupID = try buffer.readKafkaString()
        generationID = try buffer.readKafkaInteger()
        memberID = try buffer.readKafkaString()
        if version >= 3 { groupInstanceID = try buffer.readKafkaNullableString() }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaString(groupID)
        buffer.writeKafkaInteger(generationID)
        buffer.writeKafkaString(memberID)
        if version >= 3 { buffer.writeKafkaNullableString(groupInstanceID) }
    }
}

/// The response of Heartbeat and of LeaveGroup v0-1: throttle time (v1+) and an error code.
public struct GroupErrorResponse: KafkaResponseMessage, Equatable {
    public var throttleTimeMs: Int32 = 0
    public var errorCode: KafkaErrorCode

    public init(errorCode: KafkaErrorCode) { self.errorCode = errorCode }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 1 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaInteger(errorCode.rawValue)
    }
}
