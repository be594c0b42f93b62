import ChatModel
import Foundation
import GRDB

/// `ChatStore` on SQLite through GRDB: a file (WAL mode, concurrent readers) or in memory.
/// The schema is created by the initializer.
public struct SQLiteChatStore: ChatStore {
    let engine: SQLStoreEngine

    /// Opens (creating when missing) the database file at `path` and migrates it.
    ///
    /// Every write transaction is durable when it returns (`synchronous = FULL`: the WAL is synced
    /// at each commit), because the store writer commits its Kafka offsets right after: with
    /// GRDB's WAL default (`NORMAL`) a power loss could drop transactions whose offsets were
    /// already committed, a gap nothing would ever fill.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        // After the pool's own WAL set-up, which sets NORMAL on its one writer connection.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try self.init(writer: pool)
    }

    /// A private in-memory database (tests, throwaway runs).
    public static func inMemory() throws -> SQLiteChatStore {
        try SQLiteChatStore(writer: DatabaseQueue())
    }

    init(writer: any DatabaseWriter) throws {
        let backend = SQLiteBackend(writer: writer)
        try backend.syncTransaction(Schema.statements(.sqlite).map { SQLStatement($0) })
        self.engine = SQLStoreEngine(backend: backend)
    }
}

struct SQLiteBackend: SQLBackend {
    let writer: any DatabaseWriter

    var dialect: SQLDialect { .sqlite }

    func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        // Plain SELECTs read concurrently (a pool in WAL mode); anything else is a write.
        if statement.sql.hasPrefix("SELECT") {
            return try await writer.read { db in try Self.run(statement, db) }
        }
        return try await writer.write { db in try Self.run(statement, db) }
    }

    func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]] {
        // GRDB's `write` wraps the closure in one transaction and rolls back on error.
        try await writer.write { db in try statements.map { try Self.run($0, db) } }
    }

    func syncTransaction(_ statements: [SQLStatement]) throws {
        try writer.write { db in for statement in statements { _ = try Self.run(statement, db) } }
    }

    static func run(_ statement: SQLStatement, _ db: Database) throws -> [SQLRow] {
        let arguments = StatementArguments(statement.binds.map { value -> DatabaseValue in
            switch value.bound {
            case .null: return .null
            case .int(let i): return i.databaseValue
            case .text(let s): return s.databaseValue
            }
        })
        return try Row.fetchAll(db, sql: statement.sql, arguments: arguments).map { row in
            SQLRow(row.databaseValues.map { value -> SQLValue in
                switch value.storage {
                case .null: return .null
                case .int64(let i): return .int(i)
                // The schema stores no reals; a file edited by hand may: never trap on one.
                case .double(let d): return Int64(exactly: d.rounded()).map { .int($0) } ?? .text(String(d))
                case .string(let s): return .text(s)
                case .blob(let data): return .text(String(decoding: data, as: UTF8.self))
                }
            })
        }
    }
}

extension SQLiteChatStore {
    public func migrate() async throws { try await engine.migrate() }
    public func ping() async throws { try await engine.ping() }
    @discardableResult
    public func insert(messages: [StoredMessage]) async throws -> Int { try await engine.insert(messages: messages) }
    @discardableResult
    public func apply(controlEvents: [ControlEvent]) async throws -> Int {
        try await engine.apply(controlEvents: controlEvents)
    }
    public func history(channel: String, before: String?, limit: Int) async throws -> HistoryPage {
        try await engine.history(channel: channel, before: before, limit: limit)
    }
    public func channels() async throws -> [ChannelRecord] { try await engine.channels() }
    public func channel(named name: String) async throws -> ChannelRecord? { try await engine.channel(named: name) }
    public func createChannel(name: String, createdBy: String?, at date: Date) async throws -> ChannelRecord? {
        try await engine.createChannel(name: name, createdBy: createdBy, at: date)
    }
    @discardableResult
    public func deleteChannel(name: String) async throws -> Bool { try await engine.deleteChannel(name: name) }
    public func createUser(name: String, passwordHash: String, at date: Date) async throws -> Bool {
        try await engine.createUser(name: name, passwordHash: passwordHash, at: date)
    }
    public func user(named name: String) async throws -> UserRecord? { try await engine.user(named: name) }
    public func users() async throws -> [UserRecord] { try await engine.users() }
    public func stats(top: Int) async throws -> ChatStats { try await engine.stats(top: top) }
}
