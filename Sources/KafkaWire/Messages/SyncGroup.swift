import NIOCore

/// SyncGroup (key 14) v0-3: the leader hands in every member's assignment, everyone gets theirs.
public struct SyncGroupRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.syncGroup

    public struct Assignment: Sendable, Equatable {
        public var memberID: String
        public var assignment: ByteBuffer
        public init(memberID: String, assignment: ByteBuffer) {
            self.memberID = memberID
            self.assignment = assignment
        }
    }

    public var groupID: String
    public var generationID: Int32
    public var memberID: String
    public var groupInstanceID: String?
    public var assignments: [Assignment]

    public init(groupID: String, generationID: Int32, memberID: String, assignments: [Assignment]) {
        self.groupID = groupID
        self.generationID = generationID
        self.memberID = memberID
        self.assignments = assignments
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        groupID = try buffer.readKafkaString()
        generationID = try buffer.readKafkaInteger()
        memberID = try buffer.readKafkaString()
        if version >= 3 { groupInstanceID = try buffer.readKafkaNullableString() }
        assignments = try buffer.readKafkaArray { buffer in
            Assignment(memberID: try buffer.readKafkaString(), assignment: try buffer.readKafkaBytes())
        }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaString(groupID)
        buffer.writeKafkaInteger(generationID)
        buffer.writeKafkaString(memberID)
        if version >= 3 { buffer.writeKafkaNullableString(groupInstanceID) }
        buffer.writeKafkaArray(assignments) { buffer, assignment in
            buffer.writeKafkaString(assignment.memberID)
            buffer.writeKafkaNullableBytes(assignment.assignment)
        }
    }
}

public struct SyncGroupResponse: KafkaResponseMessage, Equatable {
    public var throttleTimeMs: Int32 = 0
    public var errorCode: KafkaErrorCode
    public var assignment: ByteBuffer

    public init(errorCode: KafkaErrorCode, assignment: ByteBuffer = ByteBuffer()) {
        self.errorCode = errorCode
        self.assignment = assignment
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 1 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaInteger(errorCode.rawValue)
        buffer.writeKafkaNullableBytes(assignment)
    }
}
