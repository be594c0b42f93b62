import KafkaWire
import NIOCore
import NIOTestUtils
import Testing

@Suite("KafkaFrameDecoder")
struct FrameDecoderTests {
    private func framed(_ body: ByteBuffer) -> ByteBuffer {
        var out = ByteBuffer()
        out.writeInteger(Int32(body.readableBytes), endianness: .big)
        var body = body
        out.writeBuffer(&body)
        return out
    }

    @Test func everyByteSplitOfRealFramesDecodesTheSame() throws {
        let frames = GoldenFrames.all.map { ByteBuffer(hex: $0.hex) }
        var stream = ByteBuffer()
        for frame in frames {
            var f = framed(frame)
            stream.writeBuffer(&f)
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(stream, frames)],
            decoderFactory: { KafkaFrameDecoder() })
    }

    @Test(arguments: [Int32.max, -1, Int32.min, Int32(100 * 1024 * 1024 + 1)])
    func rejectsSizesOutsideTheLimit(size: Int32) {
        var decoder = KafkaFrameDecoder()
        var buffer = ByteBuffer()
        buffer.writeInteger(size, endianness: .big)
        #expect(throws: KafkaWireError.self) { try decoder.decode(buffer: &buffer) }
    }

    @Test func waitsForTheWholeFrame() throws {
        var decoder = KafkaFrameDecoder()
        var buffer = ByteBuffer()
        buffer.writeInteger(Int32(3), endianness: .big)
        buffer.writeBytes([1, 2])
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeBytes([3])
        #expect(try decoder.decode(buffer: &buffer) == ByteBuffer(bytes: [1, 2, 3]))
    }

    @Test func emptyFrameIsAFrame() throws {
        var decoder = KafkaFrameDecoder()
        var buffer = ByteBuffer(bytes: [0, 0, 0, 0])
        #expect(try decoder.decode(buffer: &buffer) == ByteBuffer())
    }
}
