import KafkaWire
import Logging
import NIOCore

/// One client connection. Requests are handled in the order they arrived and answered in that
/// order (as Kafka guarantees). A request waits until the one before it is answered, except after
/// a Produce: its batches are appended at once and only its durability (the group-commit sync)
/// is awaited, so the next requests go ahead and consecutive produces share one fsync.
/// A frame that does not decode closes the connection with a log line; the broker carries on.
/// Back-pressure: while more than `maxQueuedRequests` requests are queued or unanswered, the
/// handler holds the channel's `read` (it is a duplex handler), so the socket is not read and the
/// client's sends wait in TCP buffers; reading resumes when the queue drains.
final class KafkaConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A request being handled; `result` is set when its response is ready.
    private final class Pending {
        let version: Int16
        let correlationID: Int32
        var result: Result<(any KafkaResponseMessage)?, Error>?

        init(version: Int16, correlationID: Int32, result: Result<(any KafkaResponseMessage)?, Error>? = nil) {
            self.version = version
            self.correlationID = correlationID
            self.result = result
        }
    }

    private let router: RequestRouter
    private let logger: Logger
    private var queue = CircularBuffer<ByteBuffer>()
    private var answers = CircularBuffer<Pending>()
    private var busy = false
    private var closed = false
    private var peer = "?"
    private let maxQueuedRequests: Int
    /// A `read` held back while the queue is full.
    private var readHeld = false

    init(router: RequestRouter, logger: Logger, maxQueuedRequests: Int = 64) {
        self.router = router
        self.logger = logger
        self.maxQueuedRequests = max(1, maxQueuedRequests)
    }

    /// Requests received and not yet answered.
    private var queued: Int { queue.count + answers.count }

    func read(context: ChannelHandlerContext) {
        if queued > maxQueuedRequests {
            readHeld = true
        } else {
            context.read()
        }
    }

    private func resumeReadingIfDrained(context: ChannelHandlerContext) {
        guard readHeld, !closed, queued <= maxQueuedRequests else { return }
        readHeld = false
        context.read()
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
        close(context: context)
    }

    private func processNext(context: ChannelHandlerContext) {
        while !busy, !closed, let frame = queue.popFirst() {
            let decoded: KafkaRequest.Decoded
            do {
                decoded = try KafkaRequest.decode(frame: frame)
            } catch {
                logger.warning("closing connection from \(peer): bad request: \(error)")
                close(context: context)
                return
            }
            switch decoded {
            case .unsupportedApiVersions(let header):
                answers.append(Pending(version: 0, correlationID: header.correlationID,
                                       result: .success(ApiVersionsResponse.unsupportedVersion)))
                writeReadyAnswers(context: context)
                resumeReadingIfDrained(context: context)
            case .request(let request):
                let pending = Pending(version: request.header.apiVersion, correlationID: request.header.correlationID)
                answers.append(pending)
                // A Produce has appended when `handle` returns; anything else holds the line.
                let isProduce = if case .produce = request.body { true } else { false }
                busy = !isProduce
                let host = context.remoteAddress?.ipAddress ?? ""
                let bound = NIOLoopBound((self, context, pending), eventLoop: context.eventLoop)
                router.handle(request, clientHost: host, on: context.eventLoop)
                    .hop(to: context.eventLoop)
                    .whenComplete { result in
                        let (handler, context, pending) = bound.value
                        pending.result = result
                        if !isProduce { handler.busy = false }
                        handler.writeReadyAnswers(context: context)
                        handler.processNext(context: context)
                        handler.resumeReadingIfDrained(context: context)
                    }
            }
        }
    }

    /// Writes the answers that are ready, in request order, up to the first one still pending.
    private func writeReadyAnswers(context: ChannelHandlerContext) {
        var wrote = false
        while !closed, let first = answers.first, let result = first.result {
            answers.removeFirst()
            switch result {
            case .success(let response?):
                write(response, version: first.version, correlationID: first.correlationID, context: context)
                wrote = true
            case .success(nil):
                break
            case .failure(let error):
                logger.error("request failed, closing connection from \(peer): \(error)")
                close(context: context)
            }
        }
        if wrote { context.flush() }
    }

    private func close(context: ChannelHandlerContext) {
        guard !closed else { return }
        closed = true
        queue.removeAll()
        answers.removeAll()
        context.close(promise: nil)
    }

    private func write(_ response: any KafkaResponseMessage, version: Int16, correlationID: Int32,
                       context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 256)
        buffer.writeInteger(Int32(0), endianness: .big) // safe: literal; size, set below
        buffer.writeInteger(correlationID, endianness: .big)
        response.write(to: &buffer, version: version)
        guard let size = Int32(exactly: buffer.readableBytes - 4) else {
            logger.error("closing connection from \(peer): response of \(buffer.readableBytes) bytes exceeds the int32 frame size")
            close(context: context)
            return
        }
        buffer.setInteger(size, at: buffer.readerIndex, endianness: .big)
        context.write(wrapOutboundOut(buffer), promise: nil)
    }
}
