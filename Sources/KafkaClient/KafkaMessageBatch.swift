/// The messages of one consumer poll as views over librdkafka's own buffers: no key, value or
/// header is copied unless you ask for a copy. The messages are released when the last copy
/// of the batch (or of a view into it) is dropped, so keep a batch only as long as you need its
/// bytes; take ``KafkaMessageView/consumedMessage`` for anything kept longer.
///
/// Handed out by ``KafkaSession/subscribe(topics:groupID:onBatch:)`` and
/// ``KafkaSession/assign(_:onBatch:)``.
public struct KafkaMessageBatch: RandomAccessCollection, Sendable {
    let storage: RDKafkaMessageBatch

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(position: Int) -> KafkaMessageView {
        precondition(position >= 0 && position < storage.count, "KafkaMessageBatch index \(position) out of 0..<\(storage.count)")
        return KafkaMessageView(batch: storage, index: position)
    }

    /// Copies of every message (what the `[ConsumedMessage]` handlers get).
    public var consumedMessages: [ConsumedMessage] { map(\.consumedMessage) }
}

/// One message of a ``KafkaMessageBatch``; its bytes are the batch's, alive while the view is.
public struct KafkaMessageView: Sendable {
    let batch: RDKafkaMessageBatch
    let index: Int

    public var topic: String { batch.topics[index] }
    public var partition: Int32 { batch.partition(at: index) }
    public var offset: Int64 { batch.offset(at: index) }
    /// Milliseconds since the Unix epoch (record timestamp), or nil when the broker gave none.
    public var timestampMilliseconds: Int64? { batch.timestampMilliseconds(at: index) }
    /// The value's length in bytes (0 for a null value).
    public var valueCount: Int { batch.value(at: index).count }

    /// Calls `body` with the value's bytes in librdkafka's buffer; do not let them escape.
    public func withValue<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withExtendedLifetime(batch) { () throws(Failure) -> Result in try body(batch.value(at: index)) }
    }

    /// Calls `body` with the key's bytes (nil without a key); do not let them escape.
    public func withKey<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer?) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withExtendedLifetime(batch) { () throws(Failure) -> Result in try body(batch.key(at: index)) }
    }

    /// A copy of the value.
    public var value: [UInt8] { withValue { Array($0) } }
    /// A copy of the key, nil without one.
    public var key: [UInt8]? { withKey { $0.map { Array($0) } } }
    /// Copies of the headers, in order.
    public var headers: [KafkaHeader] { batch.headers(at: index) }

    /// The message copied out of the batch.
    public var consumedMessage: ConsumedMessage {
        ConsumedMessage(
            topic: topic, partition: partition, offset: offset, key: key, value: value,
            timestampMilliseconds: timestampMilliseconds, headers: headers
        )
    }
}
