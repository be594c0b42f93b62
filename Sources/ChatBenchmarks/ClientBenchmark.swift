import Dispatch
import Foundation
import KafkaClient
import Logging
import Synchronization

/// Produce -> consume round-trip latency and throughput of `KafkaSession` against a broker.
public struct ClientBenchmark: Sendable {
    public struct Result: Sendable {
        public var latency: LatencySummary
        public var produceMessagesPerSecond: Double
        public var consumeMessagesPerSecond: Double
    }

    public var brokers: String
    public var latencyMessages = 2000
    public var latencyRate = 1000
    public var throughputMessages = 200_000
    public var messageSize = 100

    public init(brokers: String) { self.brokers = brokers }

    public func run(logger: Logger) async throws -> Result {
        let run = UInt64.random(in: 0..<UInt64.max) % 1_000_000
        let latency = try await measureLatency(topic: "bench-latency-\(run)", logger: logger)
        let (produce, consume) = try await measureThroughput(topic: "bench-throughput-\(run)", logger: logger)
        return Result(latency: latency, produceMessagesPerSecond: produce, consumeMessagesPerSecond: consume)
    }

    /// Sends `latencyMessages` at `latencyRate`/s, each carrying its send time, to a partition this
    /// same session reads; the latency is receive time - send time.
    func measureLatency(topic: String, logger: Logger) async throws -> LatencySummary {
        let session = try KafkaSession(configuration: KafkaConfiguration(brokers: brokers, clientID: "bench-latency"), logger: logger)
        try await session.createTopic(name: topic, partitions: 1)
        let samples = Samples()
        try session.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: .beginning)]) { batch in
            let now = DispatchTime.now().uptimeNanoseconds
            samples.add(batch.compactMap { message in
                UInt64(String(decoding: message.value.prefix(20), as: UTF8.self).trimmingCharacters(in: .whitespaces))  // safe: failable parse of text / non-negative loop index
                    .map { Double(now - $0) / 1000 }
            })
        }
        try await Task.sleep(for: .milliseconds(500))
        let padding = String(repeating: "x", count: max(0, messageSize - 20))
        let interval = 1_000_000_000 / UInt64(clamping: max(latencyRate, 1))
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<latencyMessages {
            let due = start + UInt64(i) * interval  // safe: failable parse of text / non-negative loop index
            while DispatchTime.now().uptimeNanoseconds < due { try await Task.sleep(for: .microseconds(200)) }
            let stamp = String(DispatchTime.now().uptimeNanoseconds)
            let value = stamp.padding(toLength: 20, withPad: " ", startingAt: 0) + padding
            try session.produce(topic: topic, value: Array(value.utf8))
        }
        let deadline = Date().addingTimeInterval(30)
        while samples.count < latencyMessages, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await session.shutdown()
        return LatencySummary(microseconds: samples.values)
    }

    /// Produces `throughputMessages` as fast as acknowledgements allow, then reads them all back.
    func measureThroughput(topic: String, logger: Logger) async throws -> (Double, Double) {
        var configuration = KafkaConfiguration(brokers: brokers, clientID: "bench-throughput")
        configuration.linger = .milliseconds(5)
        configuration.extraProperties["queue.buffering.max.messages"] = "1000000"
        configuration.extraProperties["batch.num.messages"] = "10000"
        let producer = try KafkaSession(configuration: configuration, logger: logger)
        try await producer.createTopic(name: topic, partitions: 3)
        let value = [UInt8](repeating: 0x78, count: messageSize)
        let produceStart = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<throughputMessages {
            while true {
                do {
                    try producer.produce(topic: topic, value: value)
                    break
                } catch {
                    guard error.code == .queueFull else { throw error }
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
        }
        guard try await producer.flush(timeout: .seconds(120)) else { throw BenchmarkError("produce did not finish") }
        let produceSeconds = Double(DispatchTime.now().uptimeNanoseconds - produceStart) / 1e9
        await producer.shutdown()

        var consumerConfiguration = KafkaConfiguration(brokers: brokers, clientID: "bench-consume")
        consumerConfiguration.maxBatchSize = 10_000
        consumerConfiguration.extraProperties["fetch.max.bytes"] = "52428800"
        let consumer = try KafkaSession(configuration: consumerConfiguration, logger: logger)
        let received = Samples()
        let consumeStart = DispatchTime.now().uptimeNanoseconds
        // Views over librdkafka's buffers, as kcat reads them: each value is looked at, none copied.
        try consumer.assign((0..<3).map { TopicPartitionOffset(topic: topic, partition: $0, offset: .beginning) }, onBatch: { batch in
            received.addCount(batch.count, bytes: batch.reduce(0) { $0 + $1.valueCount })
        })
        let deadline = Date().addingTimeInterval(120)
        while received.count < throughputMessages, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let consumeSeconds = Double(DispatchTime.now().uptimeNanoseconds - consumeStart) / 1e9
        await consumer.shutdown()
        guard received.count >= throughputMessages else { throw BenchmarkError("consumed \(received.count) of \(throughputMessages)") }
        return (Double(throughputMessages) / produceSeconds, Double(throughputMessages) / consumeSeconds)
    }
}

public struct BenchmarkError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Latency samples and counts filled from consumer threads.
final class Samples: Sendable {
    private struct State {
        var values: [Double] = []
        var count = 0
        var bytes = 0
    }

    private let state = Mutex(State())

    func add(_ values: [Double]) { state.withLock { $0.values += values; $0.count += values.count } }
    func addCount(_ n: Int, bytes: Int) { state.withLock { $0.count += n; $0.bytes += bytes } }
    var values: [Double] { state.withLock { $0.values } }
    var count: Int { state.withLock { $0.count } }
}
