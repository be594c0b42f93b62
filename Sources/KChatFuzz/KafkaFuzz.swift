// The broker's connection handler, router and context are internal: this needs a build with
// testability (debug builds, or the fuzz build's -enable-testing).
#if DEBUG || KCHAT_FUZZING
import Foundation
import KafkaWire
import Logging
import NIOCore
import NIOEmbedded
@testable import EmbeddedBroker

/// Target `kafka`: the bytes a client sends on one connection, handled by the whole broker in
/// memory: `KafkaFrameDecoder` and `KafkaConnectionHandler` in an `EmbeddedChannel`, its
/// `RequestRouter` over a `BrokerContext` with a fresh data directory (under /dev/shm when it
/// exists) per input, so every input is reproducible alone. Input: int32 size-prefixed frames; a
/// size larger than the rest of the input is cut to the rest (so mutations keep reaching
/// `KafkaRequest.decode`); a negative size, or one above the 1 MiB frame limit used here, is
/// passed through as sent. After the bytes: pending work runs, group ticks run, then the clock
/// jumps 30 days so every long-poll Fetch times out. Every response must be a whole frame with the
/// request's correlation id position.
enum KafkaFuzz {
    static let maxFrame = 1 << 20
    static let baseDirectory: String = {
        let root = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(root)/kchat-fuzz-kafka-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()
    nonisolated(unsafe) static var counter = 0
    /// Shared by every input: with fsync off nothing is ever synced, and it owns a thread.
    static let syncer = SyncScheduler()
    static let logger: Logger = {
        var logger = Logger(label: "kchat.fuzz.broker")
        logger.logLevel = .critical
        return logger
    }()
    #if DEBUG
    /// In debug builds NIO traps on a promise that is released unfulfilled (a JoinGroup still
    /// waiting for its group when the input ends): keep those coordinators alive while replaying.
    nonisolated(unsafe) static var keepAlive: [AnyObject] = []
    #endif

    /// The input as a stream of frames.
    static func frames(_ bytes: [UInt8]) -> ByteBuffer? {
        var out = ByteBuffer()
        var i = 0
        while i < bytes.count {
            guard bytes.count - i >= 4 else {
                out.writeBytes(bytes[i...])
                break
            }
            let size = Int32(bitPattern: UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3]))
            guard size >= 0, Int(size) <= maxFrame else {  // safe: widening Int32 -> Int; length <= size <= maxFrame
                out.writeBytes(bytes[i...])
                break
            }
            let length = min(Int(size), bytes.count - i - 4)  // safe: widening Int32 -> Int; length <= size <= maxFrame
            out.writeInteger(Int32(length))  // safe: widening Int32 -> Int; length <= size <= maxFrame
            out.writeBytes(bytes[(i + 4)..<(i + 4 + length)])
            i += 4 + length
        }
        return out
    }

    static func run(_ bytes: [UInt8]) {
        guard let stream = frames(bytes) else { return }
        counter += 1
        let dir = "\(baseDirectory)/\(counter)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try handle(stream, dataDirectory: dir)
        } catch {
            fatalError("harness setup failed: \(error)")
        }
    }

    static func handle(_ stream: ByteBuffer, dataDirectory dir: String) throws {
        var configuration = BrokerConfiguration(port: 0, dataDirectory: dir)
        configuration.fsync = false
        configuration.groupInitialRebalanceDelayMs = 0
        configuration.maxFrameBytes = maxFrame
        configuration.defaultPartitions = 2
        let loop = EmbeddedEventLoop()
        let topics = try TopicStore(dataDirectory: dir, segmentBytes: 1 << 16)
        _ = topics.create("golden", partitions: 1)
        _ = topics.create("chat", partitions: 2)
        let coordinator = try GroupCoordinator(eventLoop: loop, dataDirectory: dir, syncer: syncer, fsync: false,
                                               initialDelayMs: 0, logger: logger)
        #if DEBUG
        keepAlive.append(coordinator)
        #endif
        let context = BrokerContext(configuration: configuration, topics: topics, groups: coordinator, syncer: syncer,
                                    logger: logger)
        context.setAdvertisedPort(9092)
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: maxFrame)))
        try channel.pipeline.syncOperations.addHandler(KafkaConnectionHandler(router: RequestRouter(context: context), logger: logger))
        coordinator.start()
        _ = try? channel.writeInbound(stream)
        loop.run()
        for _ in 0..<3 { loop.advanceTime(by: .milliseconds(60)) }
        coordinator.stop()
        loop.run()
        loop.advanceTime(by: .hours(24 * 30))
        loop.run()
        while let response = try? channel.readOutbound(as: ByteBuffer.self) {
            let size = response.getInteger(at: response.readerIndex, as: Int32.self) ?? -1
            invariant(response.readableBytes >= 8 && Int(size) == response.readableBytes - 4,  // safe: widening Int32 -> Int; length <= size <= maxFrame
                      "response frame of \(response.readableBytes) bytes says \(size)")
        }
        _ = try? channel.finish()
        try? loop.syncShutdownGracefully()
    }
}
#else
enum KafkaFuzz {
    static func run(_ bytes: [UInt8]) {
        fatalError("the kafka target needs a debug build or the fuzz build (it uses EmbeddedBroker internals)")
    }
}
#endif
