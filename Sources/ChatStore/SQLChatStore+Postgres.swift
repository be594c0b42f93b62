import ChatAPIModels
import ChatModel
import Foundation
import Logging
import PostgresNIO

extension SQLChatStore {
    /// `ChatStore` on PostgreSQL through a PostgresNIO `PostgresClient` (a connection pool).
    ///
    /// The client only hands out connections while `run()` runs, so run it for the store's
    /// lifetime — in a task, or by adding `postgresClient` (a ServiceLifecycle `Service`) to the
    /// service group — then call `migrate()` once before using the store:
    /// ```swift
    /// let store = try SQLChatStore.postgres(url: "postgres://kchat:kchat@127.0.0.1:5432/kchat")
    /// async let _ = store.run()          // or ServiceGroup(services: [store.postgresClient!, ...])
    /// try await store.migrate()
    /// ```
    public static func postgres(configuration: PostgresStoreConfiguration,
                                logger: Logger = Logger(label: "kchat.store.postgres")) -> SQLChatStore {
        var clientConfiguration = configuration.client
        if let schema = configuration.schema {
            clientConfiguration.options.additionalStartupParameters.append(("search_path", schema))
        }
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        // The schema (`schema=` in the URL) and the tables are created under an advisory lock so
        // that several processes starting together do not race.
        var prelude = [SQLStatement("SELECT pg_advisory_xact_lock(?)", [.int(0x6B63_6861_74)])]
        if let schema = configuration.schema {
            prelude.append(SQLStatement("CREATE SCHEMA IF NOT EXISTS \"\(schema)\""))
            prelude.append(SQLStatement("SET LOCAL search_path TO \"\(schema)\""))
        }
        let backend = PostgresBackend(client: client, logger: logger, attempts: max(1, configuration.transactionAttempts))
        return SQLChatStore(engine: SQLStoreEngine(backend: backend), postgresClient: client, migrationPrelude: prelude)
    }

    /// `url` as for `PostgresStoreConfiguration(url:)`.
    public static func postgres(url: String, logger: Logger = Logger(label: "kchat.store.postgres")) throws -> SQLChatStore {
        postgres(configuration: try PostgresStoreConfiguration(url: url), logger: logger)
    }
}

struct PostgresBackend: SQLBackend {
    let client: PostgresClient
    let logger: Logger
    /// See `PostgresStoreConfiguration.transactionAttempts`.
    let attempts: Int

    var dialect: SQLDialect { .postgres }

    func read(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await Self.rows(client.query(postgresQuery(statement), logger: logger))
    }

    /// One statement in its own implicit transaction (autocommit), like a read.
    func write(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await read(statement)
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
