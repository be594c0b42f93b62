import ChatAPIModels
import ChatModel
import Foundation
import PostgresNIO

/// `ChatStore` on SQL: SQLite through GRDB (`sqlite(path:)`, `inMemory()`) or PostgreSQL through
/// PostgresNIO (`postgres(configuration:)`, `postgres(url:)`). One schema and one set of
/// statements (`SQLStoreEngine`); the constructors choose the backend.
public struct SQLChatStore: ChatStore {
    let engine: SQLStoreEngine
    /// PostgreSQL's connection pool, which hands out connections only while `run()` runs; nil on SQLite.
    public let postgresClient: PostgresClient?
    /// Run before the schema in `migrate()`'s transaction (PostgreSQL: the advisory lock, the schema).
    let migrationPrelude: [SQLStatement]

    init(engine: SQLStoreEngine, postgresClient: PostgresClient? = nil, migrationPrelude: [SQLStatement] = []) {
        self.engine = engine
        self.postgresClient = postgresClient
        self.migrationPrelude = migrationPrelude
    }

    /// Whether the store is on PostgreSQL (then `run()` must run for its lifetime).
    public var isPostgres: Bool { postgresClient != nil }

    /// Runs PostgreSQL's connection pool until the task is cancelled; returns at once on SQLite.
    public func run() async {
        await postgresClient?.run()
    }

    public func migrate() async throws { try await engine.migrate(prelude: migrationPrelude) }
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
