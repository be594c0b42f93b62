import NIOCore

/// InitProducerId (key 22) v0-1: hands out producer ids for idempotent producers.
public struct InitProducerIdRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.initProducerId

    public var transactionalID: String?
    public var transactionTimeoutMs: Int32

    public init(transactionalID: String?, transactionTimeoutMs: Int32) {
        self.transactionalID = transactionalID
        self.transactionTimeoutMs = transactionTimeoutMs
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        transactionalID = try buffer.readKafkaNullableString()
        transactionTimeoutMs = try buffer.readKafkaInteger()
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaNullableString(transactionalID)
        buffer.writeKafkaInteger(transactionTimeoutMs)
    }
}

public struct InitProducerIdResponse: KafkaResponseMessage, Equatable {
    public var throttleTimeMs: Int32 = 0
    public var errorCode: KafkaErrorCode
    public var producerID: Int64
    public var producerEpoch: Int16

    public init(errorCode: KafkaErrorCode, producerID: Int64, producerEpoch: Int16) {
        self.errorCode = errorCode
        self.producerID = producerID
        self.producerEpoch = producerEpoch
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaInteger(throttleTimeMs)
        buffer.writeKafkaInteger(errorCode.rawValue)
        buffer.writeKafkaInteger(producerID)
        buffer.writeKafkaInteger(producerEpoch)
    }
}
