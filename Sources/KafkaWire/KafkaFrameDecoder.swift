import NIOCore

/// Splits a byte stream into Kafka frames: an int32 big-endian size followed by that many bytes.
/// A negative size or one above `maximumFrameSize` is a protocol violation: the decoder throws and
/// the pipeline closes that connection.
public struct KafkaFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public static let defaultMaximumFrameSize = 100 * 1024 * 1024

    public let maximumFrameSize: Int

    public init(maximumFrameSize: Int = KafkaFrameDecoder.defaultMaximumFrameSize) {
        self.maximumFrameSize = maximumFrameSize
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let size = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: Int32.self) else {
            return nil
        }
        guard size >= 0, Int(size) <= maximumFrameSize else { // safe: widening
            throw KafkaWireError(.invalidLength, "frame size \(size) outside 0...\(maximumFrameSize)")
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return nil } // safe: widening
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(size)) // safe: widening
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}
