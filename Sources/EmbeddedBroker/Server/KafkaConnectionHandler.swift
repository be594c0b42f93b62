import KafkaWire
import Logging
import NIOCore

/// One client connection. Requests are answered one at a time, in the order they arrived (as
/// Kafka guarantees); requests that arrive meanwhile wait in a queue. A frame that does not
/// decode closes the connection with a log line; the broker carries on.
final class KafkaConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let router: RequestRouter
    private let logger: Logger
    private var queue = CircularBuffer<ByteBuffer>()
    private var busy = false
    private var peer = "?"

    init(router: RequestRouter, logger: Logger) {
        self.router = router
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.remoteAddress?.description ?? "?"
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        queue.append(unwrapInboundIn(data))
        processNext(context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.warning("closing connection from \(peer): \(error)")
        context.close(promise: nil)
    }

    private func processNext(context: ChannelHandlerContext) {
        guard !busy, let frame = queue.popFirst() else { return }
        let decoded: KafkaRequest.Decoded
        do {
            decoded = try KafkaRequest.decode(frame: frame)
        } catch {
            logger.warning("closing connection from \(peer): bad request: \(error)")
            queue.removeAll()
            context.close(promise: nil)
            return
        }
        switch decoded {
        case .unsupportedApiVersions(let header):
            write(ApiVersionsResponse.unsupportedVersion, version: 0, correlationID: header.correlationID, context: context)
            processNext(context: context)
        case .request(let request):
            busy = true
            let host = context.remoteAddress?.ipAddress ?? ""
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            router.handle(request, clientHost: host, on: context.eventLoop)
                .hop(to: context.eventLoop)
                .whenComplete { result in
                    let (handler, context) = bound.value
                    handler.busy = false
                    switch result {
                    case .success(let response?):
                        handler.write(response, version: request.header.apiVersion,
                                      correlationID: request.header.correlationID, context: context)
                    case .success(nil):
                        break
                    case .failure(let error):
                        handler.logger.error("request \(request.header.apiKey) failed: \(error)")
                        context.close(promise: nil)
                        return
                    }
                    handler.processNext(context: context)
                }
        }
    }

    private func write(_ response: any KafkaResponseMessage, version: Int16, correlationID: Int32,
                       context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 256)
        buffer.writeInteger(Int32(0), endianness: .big)
        buffer.writeInteger(correlationID, endianness: .big)
        response.write(to: &buffer, version: version)
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: buffer.readerIndex, endianness: .big)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}
