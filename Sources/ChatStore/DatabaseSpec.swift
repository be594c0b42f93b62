import Foundation
import Logging

/// The `--db` option: `sqlite:PATH`, `sqlite::memory:`, or `postgres://...` / `postgresql://...`.
public enum DatabaseSpec: Sendable, Equatable {
    case sqlite(path: String)
    case sqliteInMemory
    case postgres(url: String)

    public init(_ text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text == "sqlite::memory:" {
            self = .sqliteInMemory
        } else if text.hasPrefix("sqlite:"), text.count > "sqlite:".count {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            throw ChatStoreError(.invalidConfiguration,
                                 "--db must be sqlite:PATH, sqlite::memory: or postgres://user:password@host:port/database")
        }
    }

    /// Opens the store. SQLite is migrated here; for PostgreSQL the caller runs
    /// `postgres.run()` (or `postgres.postgresClient`) and then calls `migrate()`.
    public func open(logger: Logger = Logger(label: "kchat.store")) throws -> (store: any ChatStore, postgres: SQLChatStore?) {
        switch self {
        case .sqlite(let path):
            return (try SQLChatStore.sqlite(path: path), nil)
        case .sqliteInMemory:
            return (try SQLChatStore.inMemory(), nil)
        case .postgres(let url):
            let store = try SQLChatStore.postgres(url: url, logger: logger)
            return (store, store)
        }
    }
}
