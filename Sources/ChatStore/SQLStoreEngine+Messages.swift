import ChatModel
import Foundation

extension SQLStoreEngine {
    static let messageColumns = "id, channel, author, data, masked, ts, kafka_partition, kafka_offset, seq"

    func insert(messages: [StoredMessage]) async throws -> Int {
        var seen = Set<String>()
        // Grouped by channel, each channel in its own order (its `seq` order): two writers that
        // meet the same messages (a replay during a rebalance) insert them in the same order.
        let unique = messages.filter { seen.insert($0.id).inserted }.stablySorted { $0.message.channel }
        guard !unique.isEmpty else { return 0 }
        var users: [String: Date] = [:]
        var channels: [String: (at: Date, by: String?)] = [:]
        for stored in unique {
            let m = stored.message
            if users[m.author] == nil { users[m.author] = m.timestamp }
            if channels[m.channel] == nil, Self.isListedChannel(m.channel) { channels[m.channel] = (m.timestamp, m.author) }
        }
        let directory = Self.ensureDirectory(users: users, channels: channels)
        let inserts = unique.chunked(Self.chunkSize).map { chunk in
            SQLStatement(
                "INSERT INTO messages (id, channel, author, data, masked, ts, kafka_partition, kafka_offset) VALUES "
                    + SQLStatement.valuesList(rows: chunk.count, columns: 8)
                    + " ON CONFLICT (id) DO NOTHING RETURNING id",
                chunk.flatMap { stored -> [SQLValue] in
                    let m = stored.message
                    return [.text(m.id), .text(m.channel), .text(m.author), .text(m.data),
                            SQLValue(m.moderation?.masked), SQLValue(m.timestamp),
                            SQLValue(stored.kafka?.partition), SQLValue(stored.kafka?.offset)]
                })
        }
        let results = try await backend.transaction(directory + inserts)
        // Only the message inserts return rows.
        return results.reduce(0) { $0 + $1.count }
    }

    func history(channel: String, before: String?, limit: Int) async throws -> HistoryPage {
        let limit = HistoryPage.clamp(limit)
        var sql = "SELECT \(Self.messageColumns) FROM messages WHERE channel = ?"
        var binds: [SQLValue] = [.text(channel)]
        if let before {
            let rows = try await backend.read(SQLStatement(
                "SELECT seq FROM messages WHERE id = ? AND channel = ?", [.text(before), .text(channel)]))
            guard let seq = try rows.first?.optionalInt(0) else {
                throw ChatStoreError(.unknownCursor, "message '\(before)' is not in channel '\(channel)'")
            }
            sql += " AND seq < ?"
            binds.append(.int(seq))
        }
        sql += " ORDER BY seq DESC LIMIT ?"
        binds.append(.int(Int64(limit + 1)))  // safe: limit is clamped to 1...100 before; widening
        let rows = try await backend.read(SQLStatement(sql, binds))
        let messages = try rows.prefix(limit).map(Self.message(from:))
        return HistoryPage(messages: messages, hasMore: rows.count > limit)
    }

    static func message(from row: SQLRow) throws -> StoredMessage {
        let masked = try row.optionalInt(4)
        let message = ChatMessage(
            id: try row.string(0), channel: try row.string(1), author: try row.string(2),
            data: try row.string(3), timestamp: try row.date(5),
            moderation: masked.map { ChatMessage.Moderation(masked: Int($0)) })
        var kafka: KafkaPosition?
        if let partition = try row.optionalInt(6), let offset = try row.optionalInt(7) {
            kafka = KafkaPosition(partition: Int32(truncatingIfNeeded: partition), offset: offset)
        }
        return StoredMessage(message, kafka: kafka, seq: try row.optionalInt(8))
    }
}
