import ChatModel
import Foundation
import Testing
@testable import ChatStore

/// The backends every parameterised store test runs on: SQLite always, PostgreSQL when
/// `KCHAT_TEST_POSTGRES_URL` is set (see scripts/with-postgres.sh).
enum StoreBackend: Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres(url: String)

    static let postgresURLVariable = "KCHAT_TEST_POSTGRES_URL"

    static var all: [StoreBackend] {
        var backends: [StoreBackend] = [.sqlite]
        if let url = ProcessInfo.processInfo.environment[postgresURLVariable], !url.isEmpty {
            backends.append(.postgres(url: url))
        }
        return backends
    }

    var testDescription: String {
        switch self {
        case .sqlite: return "SQLite"
        case .postgres: return "PostgreSQL"
        }
    }

    /// Runs `body` with an empty, migrated store. On PostgreSQL each call gets its own schema
    /// (tests run in parallel), dropped afterwards; `transactionAttempts: 1` fails a transaction
    /// PostgreSQL ends as a deadlock instead of running it again.
    func withStore(transactionAttempts: Int = PostgresStoreConfiguration.defaultTransactionAttempts,
                   _ body: (any ChatStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            try await body(SQLChatStore.inMemory())
        case .postgres(let url):
            let schema = "kchat_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            var parsed = try PostgresStoreConfiguration(url: url)
            parsed.client.options.maximumConnections = 4
            var configuration = try PostgresStoreConfiguration(client: parsed.client, schema: String(schema))
            configuration.transactionAttempts = transactionAttempts
            let store = SQLChatStore.postgres(configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.run() }
                defer { group.cancelAll() }
                try await store.migrate()
                var failure: (any Error)?
                do { try await body(store) } catch { failure = error }
                _ = try await store.engine.backend.write(SQLStatement("DROP SCHEMA \"\(schema)\" CASCADE"))
                if let failure { throw failure }
            }
        }
    }
}

/// Test data helpers.
enum Fixture {
    /// 2026-11-22T00:00:00Z
    static let epoch = Date(timeIntervalSince1970: 1_795_305_600)

    static func at(hour: Int, minute: Int = 0, second: Int = 0) -> Date {
        epoch.addingTimeInterval(Double(hour * 3600 + minute * 60 + second))
    }

    static func message(_ id: String, _ channel: String = "general", _ author: String = "alice",
                        _ data: String = "hello", at date: Date = epoch, masked: Int? = nil) -> ChatMessage {
        ChatMessage(id: id, channel: channel, author: author, data: data, timestamp: date,
                    moderation: masked.map { .init(masked: $0) })
    }

    /// `count` messages m-<channel>-00... in `channel`, one second apart.
    static func messages(_ count: Int, channel: String = "general", author: String = "alice") -> [ChatMessage] {
        (0..<count).map { i in
            message(String(format: "m-\(channel)-%03d", i), channel, author, "text \(i)",
                    at: epoch.addingTimeInterval(Double(i)))
        }
    }
}
