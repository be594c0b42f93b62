import ChatModel
import Foundation
import Logging
import PostgresNIO

/// `ChatStore` on PostgreSQL through a PostgresNIO `PostgresClient` (a connection pool).
///
/// The client only hands out connections while `run()` runs, so run it for the store's
/// lifetime — in a task, or by adding `client` (a ServiceLifecycle `Service`) to the service
/// group — then call `migrate()` once before using the store:
/// ```swift
/// let store = try PostgresChatStore(url: "postgres://kchat:kchat@127.0.0.1:5432/kchat")
/// async let _ = store.run()          // or ServiceGroup(services: [store.client, ...])
/// try await store.migrate()
/// ```
public struct PostgresChatStore: ChatStore {
    public let client: PostgresClient
    public let configuration: PostgresStoreConfiguration
    let engine: SQLStoreEngine

    public init(configuration: PostgresStoreConfiguration,
                logger: Logger = Logger(label: "kchat.store.postgres")) {
        var clientConfiguration = configuration.client
        if let schema = configuration.schema {
            clientConfiguration.options.additionalStartupParameters.append(("search_path", schema))
        }
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        self.client = client
        self.configuration = configuration
        self.engine = SQLStoreEngine(backend: PostgresBackend(client: client, logger: logger,
                                                             attempts: max(1, configuration.transactionAttempts)))
    }

    /// `url` as for `PostgresStoreConfiguration(url:)`.
    public init(url: String, logger: Logger = Logger(label: "kchat.store.postgres")) throws {
        self.init(configuration: try PostgresStoreConfiguration(url: url), logger: logger)
    }

    /// Runs the connection pool until the task is cancelled (or `client` is shut down).
    public func run() async {
        await client.run()
    }

    /// Creates the schema (`schema=` in the URL) and the tables, under an advisory lock so that
    /// several processes starting together do not race.
    public func migrate() async throws {
        var prelude = [SQLStatement("SELECT pg_advisory_xact_lock(?)", [.int(0x6B63_6861_74)])]
        if let schema = configuration.schema {
            prelude.append(SQLStatement("CREATE SCHEMA IF NOT EXISTS \"\(schema)\""))
            prelude.append(SQLStatement("SET LOCAL search_path TO \"\(schema)\""))
        }
        try await engine.migrate(prelude: prelude)
    }
}

struct PostgresBackend: SQLBackend {
    let client: PostgresClient
    let logger: Logger
    /// See `PostgresStoreConfiguration.transactionAttempts`.
    let attempts: Int

    var dialect: SQLDialect { .postgres }

    func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await Self.rows(client.query(postgresQuery(statement), logger: logger))
    }

    /// PostgreSQL ends one of two transactions that deadlock (40P01), or one it cannot serialize
    /// (40001), and expects the client to run it again: it was rolled back whole.
    static let retriedStates: Set<String> = ["40P01", "40001"]

    func transaction(_ statements: [SQLStatement]) async throws -> [[SQLRow]] {
        let queries = statements.map(postgresQuery)
        let logger = self.logger
        var attempt = 1
        while true {
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    var results: [[SQLRow]] = []
                    for query in queries {
                        results.append(try await Self.rows(connection.query(query, logger: logger)))
                    }
                    return results
                }
            } catch {
                guard attempt < attempts, let state = Self.sqlState(of: error), Self.retriedStates.contains(state)
                else { throw error }
                logger.notice("PostgreSQL \(state) (attempt \(attempt) of \(attempts)): running the transaction again")
                // Apart, so the two transactions do not meet again at once.
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...20) * attempt))
                attempt += 1
            }
        }
    }

    /// The SQLSTATE of a server error, also through a transaction's wrapper.
    static func sqlState(of error: any Error) -> String? {
        switch error {
        case let error as PSQLError:
            return error.serverInfo?[.sqlState]
        case let error as PostgresTransactionError:
            return (error.closureError ?? error.commitError).flatMap(sqlState(of:))
        default:
            return nil
        }
    }

    func postgresQuery(_ statement: SQLStatement) -> PostgresQuery {
        var binds = PostgresBindings(capacity: statement.binds.count)
        for value in statement.binds {
            switch value.bound {
            case .null: binds.appendNull()
            case .int(let i): binds.append(i)
            case .text(let s): binds.append(s)
            }
        }
        return PostgresQuery(unsafeSQL: dialect.render(statement.sql), binds: binds)
    }

    static func rows(_ sequence: PostgresRowSequence) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        for try await row in sequence {
            rows.append(SQLRow(try row.map(value(of:))))
        }
        return rows
    }

    static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return .int(try cell.decode(Int64.self))
        case .bool:
            return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .text, .varchar, .name, .bpchar:
            return .text(try cell.decode(String.self))
        default:
            // e.g. `void` from pg_advisory_xact_lock: not read by the store.
            return (try? cell.decode(String.self)).map { .text($0) } ?? .null
        }
    }
}

extension PostgresChatStore {
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
