import Foundation
import KafkaWire
import NIOCore
import Testing
@testable import EmbeddedBroker
import TestSupport

/// A blocking TCP client on its own thread (not on the test's cooperative threads).
private func exchange(port: Int, frames: [ByteBuffer], answers: Int) async throws -> [ByteBuffer] {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do {
                continuation.resume(returning: try blockingExchange(port: port, frames: frames, answers: answers))
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.start()
    }
}

private struct SocketError: Error { var what: String }

private func blockingExchange(port: Int, frames: [ByteBuffer], answers: Int) throws -> [ByteBuffer] {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw SocketError(what: "connect") }
    // Every request in one write: the broker sees them pipelined, as librdkafka sends them.
    var out: [UInt8] = []
    for frame in frames {
        withUnsafeBytes(of: Int32(frame.readableBytes).bigEndian) { out += $0 }
        out += frame.readableBytesView
    }
    guard send(fd, out, out.count, 0) == out.count else { throw SocketError(what: "send") }
    func read(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
            guard n > 0 else { throw SocketError(what: "recv") }
            got += n
        }
        return bytes
    }
    return try (0..<answers).map { _ in
        let size = try read(4).reduce(0) { $0 << 8 | Int($1) }
        return ByteBuffer(bytes: try read(size))
    }
}

@Suite("Connection: answers in request order")
struct ConnectionOrderTests {
    @Test func answersComeBackInRequestOrderWhileAProduceWaitsForItsSync() async throws {
        let dir = TemporaryDirectory()
        let broker = try await KafkaBroker.start(BrokerConfiguration(port: 0, dataDirectory: dir.path))
        let create = CreateTopicsRequest(topics: [.init(name: "t", numPartitions: 1, replicationFactor: 1)], timeoutMs: 5000)
        _ = try await exchange(port: broker.port, frames: [create.encodedFrame(version: 0, correlationID: 1)], answers: 1)

        let records = RecordBatches.build(records: [KafkaRecord(key: nil, value: Array("hello".utf8))])
        let produce = ProduceRequest(acks: -1, timeoutMs: 5000, topics: [.init(name: "t", partitions: [.init(index: 0, records: records)])])
        var frames: [ByteBuffer] = []
        var expected: [Int32] = []
        for round in 0..<20 {
            let id = Int32(100 + round * 3)
            frames += [produce.encodedFrame(version: 3, correlationID: id),
                       ApiVersionsRequest().encodedFrame(version: 0, correlationID: id + 1),
                       MetadataRequest(topics: ["t"]).encodedFrame(version: 1, correlationID: id + 2)]
            expected += [id, id + 1, id + 2]
        }
        let answers = try await exchange(port: broker.port, frames: frames, answers: frames.count)
        var ids: [Int32] = []
        var produceOffsets: [Int64] = []
        for (answer, id) in zip(answers, expected) {
            var body = answer
            ids.append(body.readInteger(as: Int32.self) ?? -1)
            if (id - 100) % 3 == 0 {
                // ProduceResponse v3: [topic name, [partition index, error code, base offset, ...]]
                _ = body.readInteger(as: Int32.self)
                let nameLength = Int(body.readInteger(as: Int16.self) ?? 0)
                body.moveReaderIndex(forwardBy: nameLength)
                _ = body.readInteger(as: Int32.self)
                _ = body.readInteger(as: Int32.self)
                #expect(body.readInteger(as: Int16.self) == 0, "no error")
                produceOffsets.append(body.readInteger(as: Int64.self) ?? -1)
            }
        }
        #expect(ids == expected, "Kafka answers every request of a connection in the order it was sent")
        #expect(produceOffsets == (0..<20).map(Int64.init), "appends in request order")
        try await broker.shutdown()
    }
}
