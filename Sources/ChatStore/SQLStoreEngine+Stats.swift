import ChatAPIModels
import ChatModel
import Foundation

extension SQLStoreEngine {
    func stats(top: Int) async throws -> ChatStats {
        let top = SQLValue.int(Int64(max(top, 1)))  // safe: widening Int -> Int64 on 64-bit
        let publicOnly = "channel NOT LIKE '@%'"
        let totalsRow = try await backend.read(SQLStatement(
            """
            SELECT (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM channels),
                (SELECT COUNT(*) FROM warnings), (SELECT COUNT(*) FROM control_events WHERE type = 'blocked'),
                (SELECT COUNT(*) FROM blocks WHERE blocked = 1),
                (SELECT COUNT(*) FROM control_events WHERE type = 'rejected')
            """)).first
        guard let t = totalsRow else { throw ChatStoreError(.unexpectedRow, "totals query returned no row") }
        let totals = ChatStats.Totals(
            messages: try t.count(0), users: try t.count(1), channels: try t.count(2), warnings: try t.count(3),
            blocks: try t.count(4), blockedUsers: try t.count(5), rejected: try t.count(6))

        let perUser = try await nameCounts(
            "SELECT author, COUNT(*) AS n FROM messages GROUP BY author ORDER BY n DESC, author LIMIT ?", top)
        let perChannel = try await nameCounts(
            "SELECT channel, COUNT(*) AS n FROM messages GROUP BY channel ORDER BY n DESC, channel LIMIT ?", top)
        let warnings = try await nameCounts(
            "SELECT user_name, COUNT(*) AS n FROM warnings GROUP BY user_name ORDER BY n DESC, user_name LIMIT ?", top)
        let blocked = try await backend.read(SQLStatement(
            "SELECT user_name FROM blocks WHERE blocked = 1 ORDER BY user_name")).map { try $0.string(0) }

        let hours = try await backend.read(SQLStatement(
            """
            SELECT (ts / 3600000) % 24 AS h, COUNT(*) AS n FROM messages
            GROUP BY (ts / 3600000) % 24 ORDER BY n DESC, h
            """)).map { row in
            ChatStats.HourCount(hour: Int((try row.int(0) % 24 + 24) % 24), count: try row.count(1))
        }

        let direct = try await nameCounts(
            "SELECT channel, COUNT(*) AS n FROM messages WHERE channel LIKE '@%' GROUP BY channel ORDER BY n DESC, channel LIMIT ?",
            top
        ).compactMap { entry -> ChatStats.PairCount? in
            guard let (a, b) = ChannelName.participants(entry.name) else { return nil }
            return ChatStats.PairCount(a: a, b: b, count: entry.count)
        }

        let participants = "(SELECT DISTINCT channel, author FROM messages WHERE \(publicOnly))"
        let shared = try await backend.read(SQLStatement(
            """
            SELECT p.author, q.author, COUNT(*) AS n
            FROM \(participants) p JOIN \(participants) q ON p.channel = q.channel AND p.author < q.author
            GROUP BY p.author, q.author ORDER BY n DESC, p.author, q.author LIMIT ?
            """, [top])).map { row in
            ChatStats.PairCount(a: try row.string(0), b: try row.string(1), count: try row.count(2))
        }

        return ChatStats(totals: totals, messagesPerUser: perUser, messagesPerChannel: perChannel,
                         warningsPerUser: warnings, blockedUsers: blocked, activeHours: hours,
                         directPairs: direct, sharedChannels: shared)
    }

    private func nameCounts(_ sql: String, _ top: SQLValue) async throws -> [ChatStats.NameCount] {
        try await backend.read(SQLStatement(sql, [top])).map { row in
            ChatStats.NameCount(name: try row.string(0), count: try row.count(1))
        }
    }
}
