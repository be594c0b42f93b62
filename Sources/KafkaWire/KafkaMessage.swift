import NIOCore

/// A request body of one API, readable and writable at every supported version.
public protocol KafkaRequestMessage: Sendable, Equatable {
    static var apiKey: ApiKey { get }
    init(from buffer: inout ByteBuffer, version: Int16) throws
    func write(to buffer: inout ByteBuffer, version: Int16)
}

/// A response body of one API, written at the version the request was made with.
public protocol KafkaResponseMessage: Sendable {
    func write(to buffer: inout ByteBuffer, version: Int16)
}

/// Request header v1 (all non-flexible requests): api key, version, correlation id, client id.
public struct RequestHeader: Sendable, Equatable {
    public var apiKey: Int16
    public var apiVersion: Int16
    public var correlationID: Int32
    public var clientID: String?

    public init(apiKey: Int16, apiVersion: Int16, correlationID: Int32, clientID: String?) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationID = correlationID
        self.clientID = clientID
    }

    public init(from buffer: inout ByteBuffer) throws {
        apiKey = try buffer.readKafkaInteger()
        apiVersion = try buffer.readKafkaInteger()
        correlationID = try buffer.readKafkaInteger()
        clientID = try buffer.readKafkaNullableString()
    }

    public func write(to buffer: inout ByteBuffer) {
        buffer.writeKafkaInteger(apiKey)
        buffer.writeKafkaInteger(apiVersion)
        buffer.writeKafkaInteger(correlationID)
        buffer.writeKafkaNullableString(clientID)
    }
}

extension KafkaRequestMessage {
    /// A whole request frame body (header + message), without the size prefix.
    public func encodedFrame(version: Int16, correlationID: Int32, clientID: String? = "kchat") -> ByteBuffer {
        var buffer = ByteBuffer()
        RequestHeader(apiKey: Self.apiKey.rawValue, apiVersion: version, correlationID: correlationID, clientID: clientID)
            .write(to: &buffer)
        write(to: &buffer, version: version)
        return buffer
    }
}

extension KafkaResponseMessage {
    /// A whole response frame body (response header v0 + message), without the size prefix.
    public func encodedFrame(version: Int16, correlationID: Int32, allocator: ByteBufferAllocator = .init()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        buffer.writeKafkaInteger(correlationID)
        write(to: &buffer, version: version)
        return buffer
    }
}
