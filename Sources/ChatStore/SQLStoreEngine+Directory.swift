import ChatModel
import Foundation

extension SQLStoreEngine {
    // MARK: Channels

    static let channelSelect = """
        SELECT c.name, c.created_at, c.created_by,
            (SELECT COUNT(*) FROM messages m WHERE m.channel = c.name),
            (SELECT MAX(m.ts) FROM messages m WHERE m.channel = c.name)
        FROM channels c
        """

    func channels() async throws -> [ChannelRecord] {
        try await backend.read(SQLStatement(Self.channelSelect + " ORDER BY c.name")).map(Self.channel(from:))
    }

    func channel(named name: String) async throws -> ChannelRecord? {
        try await backend.read(SQLStatement(Self.channelSelect + " WHERE c.name = ?", [.text(name)]))
            .first.map(Self.channel(from:))
    }

    func createChannel(name: String, createdBy: String?, at date: Date) async throws -> ChannelRecord? {
        let rows = try await backend.write(SQLStatement(
            "INSERT INTO channels (name, created_at, created_by) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING name",
            [.text(name), SQLValue(date), SQLValue(createdBy)]))
        guard !rows.isEmpty else { return nil }
        return try await channel(named: name)
    }

    func deleteChannel(name: String) async throws -> Bool {
        let results = try await backend.transaction([
            SQLStatement("DELETE FROM messages WHERE channel = ?", [.text(name)]),
            SQLStatement("DELETE FROM channels WHERE name = ? RETURNING name", [.text(name)]),
        ])
        return !(results.last ?? []).isEmpty
    }

    static func channel(from row: SQLRow) throws -> ChannelRecord {
        ChannelRecord(name: try row.string(0), createdAt: try row.date(1), createdBy: try row.optionalString(2),
                      messageCount: try row.count(3),
                      lastMessageAt: try row.optionalInt(4).map { SQLValue.date(milliseconds: $0) })
    }

    // MARK: Users

    static let userSelect = """
        SELECT u.name, u.password_hash, u.created_at, COALESCE(b.blocked, 0), COALESCE(b.warnings, 0),
            (SELECT COUNT(*) FROM warnings w WHERE w.user_name = u.name), c.claimed_at
        FROM users u LEFT JOIN blocks b ON b.user_name = u.name LEFT JOIN user_claims c ON c.user_name = u.name
        """

    func createUser(name: String, passwordHash: String, at date: Date) async throws -> Bool {
        let seenBefore = try await user(named: name).map { $0.passwordHash == nil } ?? false
        let rows = try await backend.write(SQLStatement(
            """
            INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash
            WHERE users.password_hash IS NULL
            RETURNING name
            """,
            [.text(name), .text(passwordHash), SQLValue(date)]))
        if seenBefore, !rows.isEmpty {
            _ = try await backend.write(SQLStatement(
                "INSERT INTO user_claims (user_name, claimed_at) VALUES (?, ?) ON CONFLICT (user_name) DO NOTHING RETURNING user_name",
                [.text(name), SQLValue(date)]))
        }
        return !rows.isEmpty
    }

    func user(named name: String) async throws -> UserRecord? {
        try await backend.read(SQLStatement(Self.userSelect + " WHERE u.name = ?", [.text(name)]))
            .first.map(Self.user(from:))
    }

    func users() async throws -> [UserRecord] {
        try await backend.read(SQLStatement(Self.userSelect + " ORDER BY u.name")).map(Self.user(from:))
    }

    static func user(from row: SQLRow) throws -> UserRecord {
        UserRecord(name: try row.string(0), passwordHash: try row.optionalString(1), createdAt: try row.date(2),
                   blocked: try row.int(3) != 0, warnings: try row.count(4), totalWarnings: try row.count(5),
                   claimedAt: try row.optionalInt(6).map(SQLValue.date(milliseconds:)))
    }
}
