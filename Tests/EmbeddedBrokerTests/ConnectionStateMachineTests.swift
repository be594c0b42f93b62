import KafkaWire
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing
@testable import EmbeddedBroker
import TestSupport

private let records = RecordBatches.build(records: [KafkaRecord(key: nil, value: Array("hi".utf8))])
private func produce(_ id: Int32) -> ByteBuffer {
    ProduceRequest(acks: -1, timeoutMs: 5000, topics: [.init(name: "t", partitions: [.init(index: 0, records: records)])])
        .encodedFrame(version: 3, correlationID: id)
}
private func metadata(_ id: Int32) -> ByteBuffer { MetadataRequest(topics: ["t"]).encodedFrame(version: 1, correlationID: id) }
private func apiVersions(_ id: Int32) -> ByteBuffer { ApiVersionsRequest().encodedFrame(version: 0, correlationID: id) }
private let response = ApiVersionsResponse.unsupportedVersion

/// The actions as short strings: `dispatch 7` (correlation id), `write 7`, `check`, `flush`, `read`,
/// `close`, `flushAndClose`, `log`.
private func names(_ actions: [ConnectionStateMachine.Action]) -> [String] {
    actions.map { action in
        switch action {
        case .dispatch(let request, _, _): "dispatch \(request.header.correlationID)"
        case .check: "check"
        case .write(_, _, let correlationID): "write \(correlationID)"
        case .flush: "flush"
        case .flushAndClose: "flushAndClose"
        case .close: "close"
        case .read: "read"
        case .log: "log"
        }
    }
}

/// The slots of the dispatches and checks among `actions`, in order.
private func slots(_ actions: [ConnectionStateMachine.Action]) -> [ConnectionStateMachine.Slot] {
    actions.compactMap { action in
        switch action {
        case .dispatch(_, _, let slot), .check(_, let slot): slot
        default: nil
        }
    }
}

@Suite("Connection state machine: order, produce pipelining, back-pressure, bad frames, SASL")
struct ConnectionStateMachineTests {
    @Test func aRequestHoldsTheLineUntilItIsAnsweredAndAnswersKeepRequestOrder() {
        var machine = ConnectionStateMachine(maxQueued: 64, sasl: nil)
        let first = machine.received(metadata(1))
        #expect(names(first) == ["dispatch 1"])
        let r1 = names(machine.received(metadata(2)))
        #expect(r1 == [], "waits for the one before it")
        let r2 = names(machine.answered(slots(first)[0], .success(response)))
        #expect(r2 == ["write 1", "dispatch 2", "flush"])
    }

    @Test func producesGoAheadButTheirAnswersWaitForTheOnesBefore() {
        var machine = ConnectionStateMachine(maxQueued: 64, sasl: nil)
        var dispatched = machine.received(produce(1))
        dispatched += machine.received(produce(2))
        dispatched += machine.received(metadata(3))
        #expect(names(dispatched) == ["dispatch 1", "dispatch 2", "dispatch 3"], "a Produce does not hold the line")
        let ids = slots(dispatched)
        let r3 = names(machine.received(metadata(4)))
        #expect(r3 == [], "the Metadata holds it")
        let r4 = names(machine.answered(ids[2], .success(response)))
        #expect(r4 == ["dispatch 4"], "answered, but not written before 1 and 2")
        let r5 = names(machine.answered(ids[1], .success(response)))
        #expect(r5 == [])
        let r6 = names(machine.answered(ids[0], .success(response)))
        #expect(r6 == ["write 1", "write 2", "write 3", "flush"])
    }

    @Test func aFrameThatDoesNotDecodeClosesAndLateAnswersAreDropped() {
        var machine = ConnectionStateMachine(maxQueued: 64, sasl: nil)
        let first = machine.received(produce(1))
        var garbage = ByteBuffer()
        garbage.writeBytes([0x7F, 0x7F, 0, 0, 0, 0, 0, 9])
        let r7 = names(machine.received(garbage))
        #expect(r7 == ["close"])
        #expect(machine.closed)
        let r8 = names(machine.received(metadata(2)))
        #expect(r8 == [], "nothing after the close")
        let r9 = names(machine.answered(slots(first)[0], .success(response)))
        #expect(r9 == [], "a late answer is dropped")
    }

    @Test func aFailedRequestClosesTheConnection() {
        var machine = ConnectionStateMachine(maxQueued: 64, sasl: nil)
        let first = machine.received(metadata(1))
        struct Broken: Error {}
        let r10 = names(machine.answered(slots(first)[0], .failure(Broken())))
        #expect(r10 == ["close"])
    }

    @Test func readIsHeldWhileTooManyRequestsWaitAndResumedWhenTheyDrain() {
        var machine = ConnectionStateMachine(maxQueued: 2, sasl: nil)
        let r11 = machine.readRequested()
        #expect(r11)
        let first = machine.received(metadata(1))
        _ = machine.received(metadata(2))
        let r12 = machine.readRequested()
        #expect(r12, "2 waiting: not more than the limit")
        _ = machine.received(metadata(3))
        let r13 = machine.readRequested()
        #expect(!r13, "3 waiting: the socket is not read")
        #expect(machine.readHeld)
        let drained = machine.answered(slots(first)[0], .success(response))
        #expect(names(drained) == ["write 1", "dispatch 2", "read", "flush"], "one answered: reading resumes")
        #expect(!machine.readHeld)
    }

    @Test func anUnsupportedApiVersionsIsAnsweredInOrderWithoutTheRouter() {
        var machine = ConnectionStateMachine(maxQueued: 64, sasl: nil)
        let first = machine.received(metadata(1))
        let r14 = names(machine.received(ApiVersionsRequest().encodedFrame(version: 99, correlationID: 2)))
        #expect(r14 == [])
        let r15 = names(machine.answered(slots(first)[0], .success(response)))
        #expect(r15 == ["write 1", "write 2", "flush"])
    }

    @Test func saslChecksCredentialsWhileTheLineWaitsThenRoutesAsThePrincipal() {
        var machine = ConnectionStateMachine(maxQueued: 64, sasl: SaslStateMachine())
        let r16 = names(machine.received(SaslHandshakeRequest(mechanism: "PLAIN").encodedFrame(version: 1, correlationID: 1)))
        #expect(r16
            == ["write 1", "flush"])
        let check = machine.received(SaslAuthenticateRequest(authBytes: ByteBuffer(string: "\0alice\0pw"))
            .encodedFrame(version: 1, correlationID: 2))
        #expect(names(check) == ["check"])
        let r17 = names(machine.received(metadata(3)))
        #expect(r17 == [], "nothing is routed during the check")
        let alice = Principal(name: "alice", kind: .user)
        let after = machine.checked(slots(check)[0], principal: alice)
        #expect(names(after) == ["log", "write 2", "dispatch 3", "flush"])
        let principals = after.compactMap { action -> Principal?? in
            if case .dispatch(_, let principal, _) = action { principal } else { nil }
        }
        #expect(principals == [alice], "routed as the principal that logged in")
    }

    @Test func aRefusedLoginIsAnsweredThenClosed() {
        var machine = ConnectionStateMachine(maxQueued: 64, sasl: SaslStateMachine())
        _ = machine.received(SaslHandshakeRequest(mechanism: "PLAIN").encodedFrame(version: 1, correlationID: 1))
        let check = machine.received(SaslAuthenticateRequest(authBytes: ByteBuffer(string: "\0alice\0wrong"))
            .encodedFrame(version: 1, correlationID: 2))
        _ = machine.received(metadata(3))
        let r18 = names(machine.checked(slots(check)[0], principal: nil))
        #expect(r18 == ["log", "write 2", "flushAndClose"])
        #expect(machine.closed)
    }

    @Test func aRequestBeforeRequiredAuthenticationCloses() {
        var machine = ConnectionStateMachine(maxQueued: 64, sasl: SaslStateMachine())
        let r19 = names(machine.received(metadata(1)))
        #expect(r19 == ["close"])
    }
}

@Suite("Connection handler on a testing channel")
struct KafkaConnectionHandlerTests {
    /// The handler after the frame decoder, over a broker context with topic `t`.
    private func channel(_ dir: TemporaryDirectory, _ group: EventLoopGroup) async throws -> (NIOAsyncTestingChannel, BrokerContext) {
        let context = try BrokerContext.forTesting(dir, group: group)
        let channel = NIOAsyncTestingChannel()
        try await channel.pipeline.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: 1 << 20)))
        try await channel.pipeline.addHandler(KafkaConnectionHandler(router: RequestRouter(context: context),
                                                                     logger: Logger(label: "test")))
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9092))
        return (channel, context)
    }

    private func framed(_ frames: [ByteBuffer]) -> ByteBuffer {
        var out = ByteBuffer()
        for var frame in frames {
            out.writeInteger(Int32(frame.readableBytes))
            out.writeBuffer(&frame)
        }
        return out
    }

    /// Correlation ids of the response frames written so far.
    private func answeredIDs(_ channel: NIOAsyncTestingChannel, count: Int) async throws -> [Int32] {
        var ids: [Int32] = []
        var pending = ByteBuffer()
        while ids.count < count {
            var next = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
            pending.writeBuffer(&next)
            while let size = pending.getInteger(at: pending.readerIndex, as: Int32.self), pending.readableBytes >= 4 + Int(size) {
                pending.moveReaderIndex(forwardBy: 4)
                var frame = pending.readSlice(length: Int(size))!
                ids.append(frame.readInteger(as: Int32.self)!)
            }
        }
        return ids
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (channel, context) = try await channel(dir, group)
        try await channel.writeInbound(framed([produce(1), apiVersions(2), metadata(3), produce(4), metadata(5)]))
        #expect(try await answeredIDs(channel, count: 5) == [1, 2, 3, 4, 5])
        #expect(context.topics.partition("t", 0)?.highWatermark == 2, "both produces appended")
        _ = try? await channel.finish()
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }

    @Test func aBadFrameClosesTheChannelAfterTheAnswersBeforeIt() async throws {
        let dir = TemporaryDirectory()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (channel, context) = try await channel(dir, group)
        var garbage = ByteBuffer()
        garbage.writeBytes([0x7F, 0x7F, 0, 0, 0, 0, 0, 9])
        try await channel.writeInbound(framed([apiVersions(1), garbage, metadata(2)]))
        #expect(try await answeredIDs(channel, count: 1) == [1])
        try await channel.closeFuture.get()
        await context.syncer.shutdown()
        try await group.shutdownGracefully()
    }
}
