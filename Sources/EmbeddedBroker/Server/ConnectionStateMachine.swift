import KafkaWire
import Logging
import NIOCore

/// The order and flow of one client connection's requests, with no I/O: `KafkaConnectionHandler`
/// feeds it frames, answers, credential checks and read requests, and does what it returns.
///
/// - Requests are answered in the order they arrived, as Kafka guarantees.
/// - A request waits until the one before it is answered, except after a Produce: its batches
///   are appended when it is dispatched and only its durability (the group-commit sync) is
///   awaited, so the next requests go ahead and consecutive produces share one fsync.
/// - A frame that does not decode, or a request that fails, closes the connection.
/// - With SASL (`SaslStateMachine`) every request passes authentication first; credentials are
///   checked off the event loop while the line waits.
/// - Back-pressure: while more than `maxQueued` requests are queued or unanswered, `read` is held
///   (the socket is not read; the client's sends wait in TCP buffers) and resumed once it drains.
///
/// Once closed, answers and checks that arrive late are dropped. An answer for a slot that was
/// never dispatched, or a check result nobody asked for, traps: the handler is wrong.
struct ConnectionStateMachine {
    /// Names one dispatched request or credential check, for its answer.
    typealias Slot = UInt64

    enum Action {
        /// Route `request` (authenticated as `principal`) and answer with `answered(slot, ...)`.
        case dispatch(KafkaRequest, principal: Principal?, slot: Slot)
        /// Check `credentials` off the event loop and answer with `checked(slot, principal)`.
        case check(SaslStateMachine.Credentials, slot: Slot)
        /// Write one response frame (not flushed).
        case write(any KafkaResponseMessage, version: Int16, correlationID: Int32)
        case flush
        /// Flush what was written (a refusal), then close.
        case flushAndClose
        /// Close the connection now, logging `reason`.
        case close(reason: String, level: Logger.Level)
        /// Resume reading the socket (a held `read`).
        case read
        case log(Event)
    }

    /// What the handler logs about authentication (it adds the peer).
    enum Event {
        case authenticated(Principal)
        case authenticationRefused(String)
        case tokenRefused
        case handshakeRefused(KafkaErrorCode)
    }

    private struct Answer {
        let slot: Slot
        let version: Int16
        let correlationID: Int32
        /// Nothing behind it is handled until it is answered (everything but Produce).
        let holdsLine: Bool
        var result: Result<(any KafkaResponseMessage)?, any Error>?
        /// Close once this answer is written (a refused authentication).
        var closeAfter = false
    }

    let maxQueued: Int
    /// The connection's authentication, when the broker has an authenticator.
    private(set) var sasl: SaslStateMachine?
    private var frames = CircularBuffer<ByteBuffer>()
    private var answers = CircularBuffer<Answer>()
    /// A request (or a check) holds the line.
    private var busy = false
    private(set) var closed = false
    /// A `read` held back while the queue is full.
    private(set) var readHeld = false
    private var nextSlot: Slot = 0
    /// Answers were written in this step: flush once at its end.
    private var unflushed = false

    init(maxQueued: Int, sasl: SaslStateMachine?) {
        self.maxQueued = max(1, maxQueued)
        self.sasl = sasl
    }

    /// Requests received and not yet answered.
    var queued: Int { frames.count + answers.count }

    /// The channel asks to read: true to read now; false holds it until the queue drains.
    mutating func readRequested() -> Bool {
        if queued > maxQueued {
            readHeld = true
            return false
        }
        return true
    }

    /// One request frame (without its size prefix), in arrival order.
    mutating func received(_ frame: ByteBuffer) -> [Action] {
        guard !closed else { return [] }
        frames.append(frame)
        var actions: [Action] = []
        processNext(&actions)
        flushIfWritten(&actions)
        return actions
    }

    /// The router answered the request dispatched as `slot` (nil: a request with no response).
    mutating func answered(_ slot: Slot, _ result: Result<(any KafkaResponseMessage)?, any Error>) -> [Action] {
        guard !closed else { return [] }
        guard let index = answers.firstIndex(where: { $0.slot == slot }), answers[index].result == nil else {
            preconditionFailure("answer for slot \(slot), which is not waiting (\(answers.count) answers pending)")
        }
        answers[index].result = result
        if answers[index].holdsLine { busy = false }
        var actions: [Action] = []
        writeReadyAnswers(&actions)
        processNext(&actions)
        flushIfWritten(&actions)
        return actions
    }

    /// The credentials checked for `slot` were accepted as `principal`, or refused (nil).
    mutating func checked(_ slot: Slot, principal: Principal?) -> [Action] {
        guard !closed else { return [] }
        guard let index = answers.firstIndex(where: { $0.slot == slot }), answers[index].result == nil,
              sasl != nil else {
            preconditionFailure("check result for slot \(slot), which is not waiting for one")
        }
        let next = sasl!.checked(principal)
        guard case .answerAuthenticate(let response, let close) = next else {
            preconditionFailure("SaslStateMachine answered a check with \(next)")
        }
        var actions: [Action] = []
        if let principal {
            actions.append(.log(.authenticated(principal)))
        } else if close {
            actions.append(.log(.authenticationRefused(response.errorMessage ?? "")))
        } else {
            actions.append(.log(.tokenRefused))
        }
        answers[index].result = .success(response)
        answers[index].closeAfter = close
        busy = false
        writeReadyAnswers(&actions)
        processNext(&actions)
        flushIfWritten(&actions)
        return actions
    }

    /// Closes the connection (a pipeline error, a response too large to frame).
    mutating func close(reason: String, level: Logger.Level = .warning) -> [Action] {
        guard !closed else { return [] }
        var actions: [Action] = []
        close(reason: reason, level: level, &actions)
        return actions
    }

    private mutating func processNext(_ actions: inout [Action]) {
        while !busy, !closed, let frame = frames.popFirst() {
            let decoded: KafkaRequest.Decoded
            do {
                decoded = try KafkaRequest.decode(frame: frame)
            } catch {
                close(reason: "bad request: \(error)", level: .warning, &actions)
                return
            }
            switch decoded {
            case .unsupportedApiVersions(let header):
                append(version: 0, correlationID: header.correlationID, holdsLine: false,
                       result: .success(ApiVersionsResponse.unsupportedVersion))
                writeReadyAnswers(&actions)
            case .request(let request):
                guard sasl != nil else {
                    dispatch(request, principal: nil, &actions)
                    continue
                }
                switch sasl!.received(request.body, version: request.header.apiVersion) {
                case .route(let principal):
                    dispatch(request, principal: principal, &actions)
                case .answerHandshake(let response, let close):
                    if close { actions.append(.log(.handshakeRefused(response.errorCode))) }
                    answer(response, header: request.header, closeAfter: close, &actions)
                case .answerAuthenticate(let response, let close):
                    if close { actions.append(.log(.authenticationRefused(response.errorMessage ?? ""))) }
                    answer(response, header: request.header, closeAfter: close, &actions)
                case .close(let reason):
                    close(reason: reason, level: .warning, &actions)
                case .check(let credentials):
                    // Off the event loop (password hashes take tens to hundreds of milliseconds).
                    let slot = append(version: request.header.apiVersion, correlationID: request.header.correlationID,
                                      holdsLine: true, result: nil)
                    busy = true
                    actions.append(.check(credentials, slot: slot))
                }
            }
        }
        if readHeld, !closed, queued <= maxQueued {
            readHeld = false
            actions.append(.read)
        }
    }

    @discardableResult
    private mutating func append(version: Int16, correlationID: Int32, holdsLine: Bool,
                                 result: Result<(any KafkaResponseMessage)?, any Error>?, closeAfter: Bool = false) -> Slot {
        let slot = nextSlot
        nextSlot &+= 1
        answers.append(Answer(slot: slot, version: version, correlationID: correlationID, holdsLine: holdsLine,
                              result: result, closeAfter: closeAfter))
        return slot
    }

    private mutating func dispatch(_ request: KafkaRequest, principal: Principal?, _ actions: inout [Action]) {
        // A Produce has appended when it is dispatched; anything else holds the line.
        let isProduce = if case .produce = request.body { true } else { false }
        let slot = append(version: request.header.apiVersion, correlationID: request.header.correlationID,
                          holdsLine: !isProduce, result: nil)
        busy = !isProduce
        actions.append(.dispatch(request, principal: principal, slot: slot))
    }

    private mutating func answer(_ response: any KafkaResponseMessage, header: RequestHeader, closeAfter: Bool,
                                 _ actions: inout [Action]) {
        append(version: header.apiVersion, correlationID: header.correlationID, holdsLine: false,
               result: .success(response), closeAfter: closeAfter)
        writeReadyAnswers(&actions)
    }

    private mutating func flushIfWritten(_ actions: inout [Action]) {
        if unflushed, !closed { actions.append(.flush) }
        unflushed = false
    }

    /// The answers that are ready, in request order, up to the first one still pending.
    private mutating func writeReadyAnswers(_ actions: inout [Action]) {
        while !closed, let first = answers.first, let result = first.result {
            answers.removeFirst()
            switch result {
            case .success(let response?):
                actions.append(.write(response, version: first.version, correlationID: first.correlationID))
                unflushed = true
                if first.closeAfter {
                    // The refusal goes out before the close.
                    closed = true
                    frames.removeAll()
                    answers.removeAll()
                    actions.append(.flushAndClose)
                    return
                }
            case .success(nil):
                break
            case .failure(let error):
                close(reason: "request failed: \(error)", level: .error, &actions)
            }
        }
    }

    private mutating func close(reason: String, level: Logger.Level, _ actions: inout [Action]) {
        closed = true
        frames.removeAll()
        answers.removeAll()
        actions.append(.close(reason: reason, level: level))
    }
}
