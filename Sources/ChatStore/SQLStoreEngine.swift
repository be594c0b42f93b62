import ChatModel
import Foundation

/// The store logic of `SQLChatStore` on SQLite and PostgreSQL alike: every statement is
/// written once, with `?` placeholders, and run by a `SQLBackend`.
struct SQLStoreEngine: Sendable {
    let backend: any SQLBackend

    var dialect: SQLDialect { backend.dialect }

    /// Rows per multi-row INSERT (keeps the bound parameters far below both backends' limits).
    static let chunkSize = 100

    func migrate(prelude: [SQLStatement] = []) async throws {
        try await backend.transaction(prelude + Schema.statements(dialect).map { SQLStatement($0) })
    }

    func ping() async throws {
        _ = try await backend.read(SQLStatement("SELECT 1"))
    }

    // MARK: - Shared statements

    static func ensureUsers(_ users: [(name: String, at: Date)]) -> SQLStatement {
        SQLStatement(
            "INSERT INTO users (name, password_hash, created_at) VALUES "
                + SQLStatement.repeated("(?, NULL, ?)", users.count)
                + " ON CONFLICT (name) DO NOTHING",
            users.flatMap { [SQLValue.text($0.name), SQLValue($0.at)] })
    }

    static func ensureChannels(_ channels: [(name: String, at: Date, by: String?)]) -> SQLStatement {
        SQLStatement(
            "INSERT INTO channels (name, created_at, created_by) VALUES "
                + SQLStatement.valuesList(rows: channels.count, columns: 3)
                + " ON CONFLICT (name) DO NOTHING",
            channels.flatMap { [SQLValue.text($0.name), SQLValue($0.at), SQLValue($0.by)] })
    }

    /// The upserts of every user and listed channel a batch names, each sorted by name, for the
    /// start of the batch's transaction. Every writer then takes these row locks in one order
    /// (users, channels, then the rest), so concurrent writers on PostgreSQL (several store
    /// writers in one consumer group) wait for each other instead of deadlocking.
    static func ensureDirectory(users: [String: Date], channels: [String: (at: Date, by: String?)]) -> [SQLStatement] {
        users.sorted { $0.key < $1.key }.chunked(chunkSize).map { ensureUsers($0.map { ($0.key, $0.value) }) }
            + channels.sorted { $0.key < $1.key }.chunked(chunkSize).map {
                ensureChannels($0.map { ($0.key, $0.value.at, $0.value.by) })
            }
    }

    /// Public channels are created on first use; direct channels (`@a+b`) are never listed.
    static func isListedChannel(_ name: String) -> Bool {
        !ChannelName.isDirect(name) && ChannelName.isValid(name)
    }
}

extension Array {
    /// Sorted by `key`, equal keys kept in their order.
    func stablySorted<Key: Comparable>(by key: (Element) -> Key) -> [Element] {
        enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element)
    }

    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
