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
        /// Close the connection once this answer is written (a refused authentication).
        var closeAfter = false

        init(version: Int16, correlationID: Int32, result: Result<(any KafkaResponseMessage)?, Error>? = nil,
             closeAfter: Bool = false) {
            self.version = version
            self.correlationID = correlationID
            self.result = result
            self.closeAfter = closeAfter
        }
    }

    private let router: RequestRouter
    private let logger: Logger
    /// Checks credentials; nil: no authentication (every request is handled, as before SASL).
    private let authenticator: (any BrokerAuthenticator)?
    /// The connection's authentication state, when the broker requires SASL.
    private var sasl: SaslStateMachine?
    private var queue = CircularBuffer<ByteBuffer>()
    private var answers = CircularBuffer<Pending>()
    private var busy = false
    private var closed = false
    private var peer = "?"
    private let maxQueuedRequests: Int
    /// A `read` held back while the queue is full.
    private var readHeld = false

    init(router: RequestRouter, logger: Logger, maxQueuedRequests: Int = 64,
         authenticator: (any BrokerAuthenticator)? = nil, authenticationRequired: Bool = true) {
        self.router = router
        self.logger = logger
        self.authenticator = authenticator
        self.sasl = authenticator == nil ? nil : SaslStateMachine(required: authenticationRequired)
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
                guard sasl != nil else {
                    dispatch(request, principal: nil, context: context)
                    continue
                }
                let action = sasl!.received(request.body, version: request.header.apiVersion)
                if case .route(let principal) = action {
                    dispatch(request, principal: principal, context: context)
                } else {
                    perform(action, for: request.header, context: context)
                }
            }
        }
    }

    /// Carries out what the authentication state machine decided for a request.
    private func perform(_ action: SaslStateMachine.RequestAction, for header: RequestHeader, context: ChannelHandlerContext) {
        switch action {
        case .route:
            preconditionFailure("perform(.route): routed requests are dispatched by processNext")
        case .answerHandshake(let response, let close):
            if close { logger.warning("SASL handshake from \(peer) refused (\(response.errorCode)); closing the connection") }
            answer(response, header: header, closeAfter: close, context: context)
        case .answerAuthenticate(let response, let close):
            if close { logger.warning("SASL authentication from \(peer) refused: \(response.errorMessage ?? "")") }
            answer(response, header: header, closeAfter: close, context: context)
        case .close(let reason):
            logger.warning("closing connection from \(peer): \(reason)")
            close(context: context)
        case .check(let credentials):
            guard let authenticator else { preconditionFailure("SASL state machine without an authenticator") }
            let pending = Pending(version: header.apiVersion, correlationID: header.correlationID)
            answers.append(pending)
            busy = true
            let bound = NIOLoopBound((self, context, pending), eventLoop: context.eventLoop)
            // Off the event loop: password hashes take tens to hundreds of milliseconds.
            context.eventLoop.makeFutureWithTask {
                switch credentials {
                case .plain(let user, let password): await authenticator.authenticate(plain: user, password: password)
                case .bearer(let token): await authenticator.authenticate(bearer: token)
                }
            }.hop(to: context.eventLoop).whenComplete { result in
                let (handler, context, pending) = bound.value
                guard !handler.closed else { return }
                let principal = (try? result.get()) ?? nil
                let next = handler.sasl!.checked(principal)
                guard case .answerAuthenticate(let response, let close) = next else {
                    preconditionFailure("SaslStateMachine answered a check with \(next)")
                }
                if let principal {
                    handler.logger.info("connection from \(handler.peer) authenticated as \(principal)")
                } else if close {
                    handler.logger.warning("SASL authentication from \(handler.peer) refused: \(response.errorMessage ?? "")")
                } else {
                    handler.logger.warning("SASL/OAUTHBEARER token from \(handler.peer) refused")
                }
                pending.result = .success(response)
                pending.closeAfter = close
                handler.busy = false
                handler.writeReadyAnswers(context: context)
                handler.processNext(context: context)
                handler.resumeReadingIfDrained(context: context)
            }
        }
    }

    private func answer(_ response: any KafkaResponseMessage, header: RequestHeader, closeAfter: Bool,
                        context: ChannelHandlerContext) {
        answers.append(Pending(version: header.apiVersion, correlationID: header.correlationID, result: .success(response),
                               closeAfter: closeAfter))
        writeReadyAnswers(context: context)
        resumeReadingIfDrained(context: context)
    }

    private func dispatch(_ request: KafkaRequest, principal: Principal?, context: ChannelHandlerContext) {
                let pending = Pending(version: request.header.apiVersion, correlationID: request.header.correlationID)
                answers.append(pending)
                // A Produce has appended when `handle` returns; anything else holds the line.
                let isProduce = if case .produce = request.body { true } else { false }
                busy = !isProduce
                let host = context.remoteAddress?.ipAddress ?? ""
                let bound = NIOLoopBound((self, context, pending), eventLoop: context.eventLoop)
                router.handle(request, principal: principal, clientHost: host, on: context.eventLoop)
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

    /// Writes the answers that are ready, in request order, up to the first one still pending.
    private func writeReadyAnswers(context: ChannelHandlerContext) {
        var wrote = false
        while !closed, let first = answers.first, let result = first.result {
            answers.removeFirst()
            switch result {
            case .success(let response?):
                write(response, version: first.version, correlationID: first.correlationID, context: context)
                wrote = true
                if first.closeAfter {
                    // The refusal goes out before the close.
                    closed = true
                    queue.removeAll()
                    answers.removeAll()
                    context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                        context.close(promise: nil)
                    }
                    return
                }
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
