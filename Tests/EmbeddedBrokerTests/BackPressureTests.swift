import KafkaWire
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing
@testable import EmbeddedBroker
import TestSupport

/// Counts the `read` calls that reach the head of the pipeline (the socket).
private final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    var reads = 0

    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }
}

@Suite("Connection back-pressure")
struct BackPressureTests {
    @Test func pastMaxQueuedRequestsTheSocketIsNotReadUntilTheQueueDrains() async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let context = try BrokerContext.forTesting(dir, group: group)
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let counter = ReadCounter()
        let handler = KafkaConnectionHandler(router: RequestRouter(context: context), logger: context.logger, maxQueuedRequests: 8)
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(handler)

        // Long-polling fetches on an empty partition: each holds the line for its max_wait.
        let fetch = FetchRequest(maxWaitMs: 100, minBytes: 1, maxBytes: 1 << 20,
                                 topics: [.init(topic: "t", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)])])
        for id in 0..<20 {
            try channel.writeInbound(fetch.encodedFrame(version: 4, correlationID: Int32(id)))
        }
        channel.read()
        #expect(counter.reads == 0, "20 requests queued, more than 8: the socket is not read")

        // Answer them one max_wait at a time; note how many were answered when the read went through.
        var answered = 0
        var answeredAtRead: Int?
        while answered < 20 {
            loop.advanceTime(by: .milliseconds(100))
            while try channel.readOutbound(as: ByteBuffer.self) != nil { answered += 1 }
            if counter.reads > 0, answeredAtRead == nil { answeredAtRead = answered }
        }
        #expect(answeredAtRead == 12, "reading resumed once no more than 8 requests remained (20 - 12)")
        #expect(counter.reads == 1, "the held read went to the socket once")
        channel.read()
        #expect(counter.reads == 2, "with an empty queue reads pass straight through")
        _ = try channel.finish()
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }
}
