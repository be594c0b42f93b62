import NIOCore

/// DescribeGroups (key 15) v0-4.
public struct DescribeGroupsRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.describeGroups

    public var groups: [String]
    public var includeAuthorizedOperations: Bool = false

    public init(groups: [String]) { self.groups = groups }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        groups = try buffer.readKafkaArray { try $0.readKafkaString() }
        if version >= 3 { includeAuthorizedOperations = try buffer.readKafkaBool() }
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaArray(groups) { $0.writeKafkaString($1) }
        if version >= 3 { buffer.writeKafkaBool(includeAuthorizedOperations) }
    }
}

public struct DescribeGroupsResponse: KafkaResponseMessage, Equatable {
    public struct Member: Sendable, Equatable {
        public var memberID: String
        public var groupInstanceID: String?
        public var clientID: String
        public var clientHost: String
        public var metadata: ByteBuffer
        public var assignment: ByteBuffer
        public init(memberID: String, clientID: String, clientHost: String, metadata: ByteBuffer, assignment: ByteBuffer) {
            self.memberID = memberID
            self.clientID = clientID
            self.clientHost = clientHost
            self.metadata = metadata
            self.assignment = assignment
        }
    }

    public struct Group: Sendable, Equatable {
        public var errorCode: KafkaErrorCode
        public var groupID: String
        public var state: String
        public var protocolType: String
        public var protocolData: String
        public var members: [Member]
        public init(errorCode: KafkaErrorCode, groupID: String, state: String, protocolType: String,
                    protocolData: String, members: [Member]) {
            self.errorCode = errorCode
            self.groupID = groupID
            self.state = state
            self.protocolType = protocolType
            self.protocolData = protocolData
            self.members = members
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var groups: [Group]

    public init(groups: [Group]) { self.groups = groups }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 1 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaArray(groups) { buffer, group in
            buffer.writeKafkaInteger(group.errorCode.rawValue)
            buffer.writeKafkaString(group.groupID)
            buffer.writeKafkaString(group.state)
            buffer.writeKafkaString(group.protocolType)
            buffer.writeKafkaString(group.protocolData)
            buffer.writeKafkaArray(group.members) { buffer, member in
                buffer.writeKafkaString(member.memberID)
                if version >= 4 { buffer.writeKafkaNullableString(member.groupInstanceID) }
                buffer.writeKafkaString(member.clientID)
                buffer.writeKafkaString(member.clientHost)
                buffer.writeKafkaNullableBytes(member.metadata)
                buffer.writeKafkaNullableBytes(member.assignment)
            }
            if version >= 3 { buffer.writeKafkaInteger(Int32.min) } // authorized operations: not asked
        }
    }
}
