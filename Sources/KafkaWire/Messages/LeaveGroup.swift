import NIOCore

/// LeaveGroup (key 13) v0-1; answered with `GroupErrorResponse`.
public struct LeaveGroupRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.leaveGroup

    public var groupID: String
    public var memberID: String

    public init(groupID: String, memberID: String) {
        self.groupID = groupID
        self.memberID = memberID
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        groupID = try buffer.readKafkaString()
        memberID = try buffer.readKafkaString()
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaString(groupID)
        buffer.writeKafkaString(memberID)
    }
}
