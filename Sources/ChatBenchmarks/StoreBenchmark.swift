import ChatModel
import ChatStore
import Dispatch
import Foundation
import Logging

/// Store ingest rate and history page latency with a large table, on any backend (`--db`).
public struct StoreBenchmark: Sendable {
    public struct Result: Sendable {
        public var ingestPerSecond: Double
        public var newestPage: LatencySummary
        public var deepPage: LatencySummary
    }

    public var database: String
    public var messages: Int
    public var batch = 1000
    public var pages = 500

    public init(database: String, messages: Int = 1_000_000) {
        self.database = database
        self.messages = messages
    }

    public func run(logger: Logger) async throws -> Result {
        let (store, postgres) = try DatabaseSpec(database).open(logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            if let postgres {
                group.addTask { await postgres.run() }
                try await postgres.migrate()
            }
            defer { group.cancelAll() }
            return try await measure(store)
        }
    }

    private func measure(_ store: any ChatStore) async throws -> Result {
        let run = UInt64.random(in: 0..<UInt64.max) % 1_000_000
        let channels = (0..<10).map { "bench\(run)-\($0)" }
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        let start = DispatchTime.now().uptimeNanoseconds
        var ids: [String: [String]] = [:]
        var offset: Int64 = 0
        while offset < Int64(messages) {  // safe: benchmark counters, well below Int32.max
            let count = min(batch, messages - Int(offset))  // safe: benchmark counters, well below Int32.max
            let rows = (0..<count).map { i -> StoredMessage in
                let n = Int(offset) + i  // safe: benchmark counters, well below Int32.max
                let channel = channels[n % channels.count]
                let message = ChatMessage(id: "b\(run)-\(n)", channel: channel, author: "user\(n % 997)",
                                          data: "message number \(n) with some ordinary chat text",
                                          timestamp: base.addingTimeInterval(Double(n)))
                if (n / channels.count) % 100 == 0 { ids[channel, default: []].append(message.id) }
                return StoredMessage(message, kafka: KafkaPosition(partition: Int32(n % 3), offset: Int64(n)))  // safe: benchmark counters, well below Int32.max
            }
            _ = try await store.insert(messages: rows)
            offset += Int64(count)  // safe: benchmark counters, well below Int32.max
        }
        let ingest = Double(messages) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)

        var newest: [Double] = []
        var deep: [Double] = []
        for i in 0..<pages {
            let channel = channels[i % channels.count]
            var t0 = DispatchTime.now().uptimeNanoseconds
            _ = try await store.history(channel: channel, before: nil, limit: 10)
            newest.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
            let cursors = ids[channel] ?? []
            guard !cursors.isEmpty else { continue }
            t0 = DispatchTime.now().uptimeNanoseconds
            _ = try await store.history(channel: channel, before: cursors[i % cursors.count], limit: 10)
            deep.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
        }
        return Result(ingestPerSecond: ingest, newestPage: LatencySummary(microseconds: newest),
                      deepPage: LatencySummary(microseconds: deep))
    }
}
