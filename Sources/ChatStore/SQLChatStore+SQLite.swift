import ChatAPIModels
import ChatModel
import Foundation
import GRDB

extension SQLChatStore {
    /// Opens (creating when missing) the SQLite database file at `path` (GRDB, WAL mode,
    /// concurrent readers) and creates the schema.
    ///
    /// Every write transaction is durable when it returns (`synchronous = FULL`: the WAL is synced
    /// at each commit), because the store writer commits its Kafka offsets right after: with
    /// GRDB's WAL default (`NORMAL`) a power loss could drop transactions whose offsets were
    /// already committed, a gap nothing would ever fill.
    public static func sqlite(path: String) throws -> SQLChatStore {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: configuration)
        // After the pool's own WAL set-up, which sets NORMAL on its one writer connection.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return try sqlite(writer: pool)
    }

    /// A private in-memory SQLite database (tests, throwaway runs).
    public static func inMemory() throws -> SQLChatStore {
        try sqlite(writer: DatabaseQueue())
    }

    static func sqlite(writer: any DatabaseWriter) throws -> SQLChatStore {
        let backend = SQLiteBackend(writer: writer)
        try backend.syncTransaction(Schema.statements(.sqlite).map { SQLStatement($0) })
        return SQLChatStore(engine: SQLStoreEngine(backend: backend))
    }
}

struct SQLiteBackend: SQLBackend {
    let writer: any DatabaseWriter

    var dialect: SQLDialect { .sqlite }

    func read(_ statement: SQLStatement) async throws -> [SQLRow] {
        // Reads run concurrently on the pool's reader connections (WAL mode).
        try await writer.read { db in try Self.run(statement, db) }
    }

    func write(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await writer.write { db in try Self.run(statement, db) }
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
