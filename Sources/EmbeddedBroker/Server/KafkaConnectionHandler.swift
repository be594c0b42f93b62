import KafkaWire
import Logging
import NIOCore

/// One client connection: the I/O shell of `ConnectionStateMachine`, which decides the order of
/// requests and answers, authentication and back-pressure. It routes requests, checks
/// credentials off the event loop, writes the answers and holds or resumes `read` (it is a duplex
/// handler) as the machine says. A frame that does not decode closes the connection with a log
/// line; the broker carries on.
final class KafkaConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let router: RequestRouter
    private let logger: Logger
    /// Checks credentials; nil: no authentication (every request is handled, as before SASL).
    private let authenticator: (any BrokerAuthenticator)?
    private var machine: ConnectionStateMachine
    private var peer = "?"

    init(router: RequestRouter, logger: Logger, maxQueuedRequests: Int = 64,
         authenticator: (any BrokerAuthenticator)? = nil, authenticationRequired: Bool = true) {
        self.router = router
        self.logger = logger
        self.authenticator = authenticator
        machine = ConnectionStateMachine(maxQueued: maxQueuedRequests,
                                         sasl: authenticator == nil ? nil : SaslStateMachine(required: authenticationRequired))
    }

    func read(context: ChannelHandlerContext) {
        if machine.readRequested() { context.read() }
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.remoteAddress?.description ?? "?"
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        run(machine.received(unwrapInboundIn(data)), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        run(machine.close(reason: "\(error)"), context: context)
    }

    /// Does what the machine decided, in order. An answer that completes at once re-enters the
    /// machine from here; the machine's order holds either way.
    private func run(_ actions: [ConnectionStateMachine.Action], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .dispatch(let request, let principal, let slot):
                let host = context.remoteAddress?.ipAddress ?? ""
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                router.handle(request, principal: principal, clientHost: host, on: context.eventLoop)
                    .hop(to: context.eventLoop)
                    .whenComplete { result in
                        let (handler, context) = bound.value
                        handler.run(handler.machine.answered(slot, result), context: context)
                    }
            case .check(let credentials, let slot):
                guard let authenticator else { preconditionFailure("a credential check without an authenticator") }
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.makeFutureWithTask {
                    switch credentials {
                    case .plain(let user, let password): await authenticator.authenticate(plain: user, password: password)
                    case .bearer(let token): await authenticator.authenticate(bearer: token)
                    }
                }.hop(to: context.eventLoop).whenComplete { result in
                    let (handler, context) = bound.value
                    handler.run(handler.machine.checked(slot, principal: (try? result.get()) ?? nil), context: context)
                }
            case .write(let response, let version, let correlationID):
                write(response, version: version, correlationID: correlationID, context: context)
            case .flush:
                context.flush()
            case .flushAndClose:
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                    context.close(promise: nil)
                }
            case .close(let reason, let level):
                logger.log(level: level, "closing connection from \(peer): \(reason)")
                context.close(promise: nil)
            case .read:
                context.read()
            case .log(.authenticated(let principal)):
                logger.info("connection from \(peer) authenticated as \(principal)")
            case .log(.authenticationRefused(let reason)):
                logger.warning("SASL authentication from \(peer) refused: \(reason)")
            case .log(.tokenRefused):
                logger.warning("SASL/OAUTHBEARER token from \(peer) refused")
            case .log(.handshakeRefused(let code)):
                logger.warning("SASL handshake from \(peer) refused (\(code)); closing the connection")
            }
        }
    }

    private func write(_ response: any KafkaResponseMessage, version: Int16, correlationID: Int32,
                       context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 256)
        buffer.writeInteger(Int32(0), endianness: .big) // safe: literal; size, set below
        buffer.writeInteger(correlationID, endianness: .big)
        response.write(to: &buffer, version: version)
        guard let size = Int32(exactly: buffer.readableBytes - 4) else {
            run(machine.close(reason: "response of \(buffer.readableBytes) bytes exceeds the int32 frame size", level: .error),
                context: context)
            return
        }
        buffer.setInteger(size, at: buffer.readerIndex, endianness: .big)
        context.write(wrapOutboundOut(buffer), promise: nil)
    }
}
