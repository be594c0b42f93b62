import NIOCore

/// JoinGroup (key 11) v0-5. From v4 a member that joins with an empty id gets
/// MEMBER_ID_REQUIRED and a new id to join with.
public struct JoinGroupRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.joinGroup

    public struct GroupProtocol: Sendable, Equatable {
        public var name: String
        public var metadata: ByteBuffer
        public init(name: String, metadata: ByteBuffer) {
            self.name = name
            self.metadata = metadata
        }
    }

    public var groupID: String
    public var sessionTimeoutMs: Int32
    public var rebalanceTimeoutMs: Int32
    public var memberID: String
    public var groupInstanceID: String?
    public var protocolType: String
    public var protocols: [GroupProtocol]

    public init(groupID: String, sessionTimeoutMs: Int32, rebalanceTimeoutMs: Int32, memberID: String,
                protocolType: String, protocols: [GroupProtocol]) {
        self.groupID = groupID
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.memberID = memberID
        self.protocolType = protocolType
        self.protocols = protocols
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        groupID = try buffer.readKafkaString()
        sessionTimeoutMs = try buffer.readKafkaInteger()
        rebalanceTimeoutMs = version >= 1 ? try buffer.readKafkaInteger() : sessionTimeoutMs
        memberID = try buffer.readKafkaString()
        if version >= 5 { groupInstanceID = try buffer.readKafkaNullableString() }
        protocolType = try buffer.readKafkaString()
        protocols = try buffer.readKafkaArray { buffer in
            GroupProtocol(name: try buffer.readKafkaString(), metadata: try buffer.readKafkaBytes())
        }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaString(groupID)
        buffer.writeKafkaInteger(sessionTimeoutMs)
        if version >= 1 { buffer.writeKafkaInteger(rebalanceTimeoutMs) }
        buffer.writeKafkaString(memberID)
        if version >= 5 { buffer.writeKafkaNullableString(groupInstanceID) }
        buffer.writeKafkaString(protocolType)
        buffer.writeKafkaArray(protocols) { buffer, proto in
            buffer.writeKafkaString(proto.name)
            buffer.writeKafkaNullableBytes(proto.metadata)
        }
    }
}

public struct JoinGroupResponse: KafkaResponseMessage, Equatable {
    public struct Member: Sendable, Equatable {
        public var memberID: String
        public var groupInstanceID: String?
        public var metadata: ByteBuffer
        public init(memberID: String, groupInstanceID: String?, metadata: ByteBuffer) {
            self.memberID = memberID
            self.groupInstanceID = groupInstanceID
            self.metadata = metadata
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: KafkaErrorCode
    public var generationID: Int32
    public var protocolName: String
    public var leader: String
    public var memberID: String
    public var members: [Member]

    public init(errorCode: KafkaErrorCode, generationID: Int32 = -1, protocolName: String = "",
                leader: String = "", memberID: String, members: [Member] = []) {
        self.errorCode = errorCode
        self.generationID = generationID
        self.protocolName = protocolName
        self.leader = leader
        self.memberID = memberID
        self.members = members
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 2 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaInteger(errorCode.rawValue)
        buffer.writeKafkaInteger(generationID)
        buffer.writeKafkaString(protocolName)
        buffer.writeKafkaString(leader)
        buffer.writeKafkaString(memberID)
        buffer.writeKafkaArray(members) { buffer, member in
            buffer.writeKafkaString(member.memberID)
            if version >= 5 { buffer.writeKafkaNullableString(member.groupInstanceID) }
            buffer.writeKafkaNullableBytes(member.metadata)
        }
    }
}
