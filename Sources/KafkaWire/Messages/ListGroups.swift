import NIOCore

/// ListGroups (key 16) v0-2: the request body is empty.
public struct ListGroupsRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.listGroups
    public init() {}
    public init(from buffer: inout ByteBuffer, version: Int16) throws {}
    public func write(to buffer: inout ByteBuffer, version: Int16) {}
}

public struct ListGroupsResponse: KafkaResponseMessage, Equatable {
    public struct Group: Sendable, Equatable {
        public var groupID: String
        public var protocolType: String
        public init(groupID: String, protocolType: String) {
            self.groupID = groupID
            self.protocolType = protocolType
        }
    }

    public var throttleTimeMs: Int32 = 0
    public var errorCode: KafkaErrorCode = .none
    public var groups: [Group]

    public init(groups: [Group]) { self.groups = groups }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        if version >= 1 { buffer.writeKafkaInteger(throttleTimeMs) }
        buffer.writeKafkaInteger(errorCode.rawValue)
        buffer.writeKafkaArray(groups) { buffer, group in
            buffer.writeKafkaString(group.groupID)
            buffer.writeKafkaString(group.protocolType)
        }
    }
}
