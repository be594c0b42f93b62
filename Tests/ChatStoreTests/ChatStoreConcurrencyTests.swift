import ChatModel
import Foundation
import Testing
@testable import ChatStore

/// Several store writers share one database at scale (`kchat serve` and `kchat api` in one
/// consumer group). Their transactions meet the same new users and channels in whatever order
/// their batches hold them; on PostgreSQL two transactions that insert the same keys in
/// opposite orders deadlock, and one of them fails. These run such writers side by side, with
/// no second attempt: the store must take its locks in one order, not rely on a retry.
@Suite("Concurrent writers")
struct ChatStoreConcurrencyTests {
    static let rounds = 12
    /// Over `SQLStoreEngine.chunkSize`, so a batch spans several INSERTs.
    static let authors = 150

    /// Round `round`'s authors (all new to the store), in `reversed` order or not.
    static func authors(round: Int, reversed: Bool) -> [String] {
        let names = (0..<authors).map { "w\(round)x\($0)" }
        return reversed ? names.reversed() : names
    }

    @Test("message batches with the same new users in opposite orders all commit", arguments: StoreBackend.all)
    func oppositeOrderMessages(_ backend: StoreBackend) async throws {
        try await backend.withStore(transactionAttempts: 1) { store async throws in
            for round in 0..<Self.rounds {
                let batches = [false, true].map { reversed in
                    Self.authors(round: round, reversed: reversed).enumerated().map { index, author in
                        // Channels too come in opposite orders.
                        let channel = "c\(round)x\(reversed ? Self.authors - index : index)"
                        return StoredMessage(Fixture.message("r\(round)-\(reversed)-\(author)", channel, author))
                    }
                }
                async let first = store.insert(messages: batches[0])
                async let second = store.insert(messages: batches[1])
                #expect(try await [first, second] == [Self.authors, Self.authors])
            }
            let stats = try await store.stats(top: 1)
            #expect(stats.totals.messages == Self.rounds * Self.authors * 2)
            #expect(try await store.users().count == Self.rounds * Self.authors)
        }
    }

    @Test("control batches with the same users in opposite orders all commit", arguments: StoreBackend.all)
    func oppositeOrderEvents(_ backend: StoreBackend) async throws {
        try await backend.withStore(transactionAttempts: 1) { store async throws in
            for round in 0..<Self.rounds {
                let batches = [false, true].map { reversed in
                    Self.authors(round: round, reversed: reversed).map { user in
                        ControlEvent(type: .warning, user: user, warnings: 1, limit: 3, channel: "general",
                                     messageId: "m-\(round)-\(reversed)-\(user)", timestamp: Fixture.epoch)
                    }
                }
                async let first = store.apply(controlEvents: batches[0])
                async let second = store.apply(controlEvents: batches[1])
                #expect(try await [first, second] == [Self.authors, Self.authors])
            }
            #expect(try await store.users().count == Self.rounds * Self.authors)
        }
    }
}

@Suite("PostgreSQL transaction retry")
struct PostgresRetryTests {
    static var postgres: [StoreBackend] {
        StoreBackend.all.filter { if case .postgres = $0 { true } else { false } }
    }

    /// Two transactions that take the same two rows in opposite orders, with a pause between:
    /// PostgreSQL must end one of them (40P01); the backend runs it again and both commit.
    @Test("a transaction ended by a deadlock runs again", arguments: postgres)
    func deadlockedTransactionRetried(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let backend = try #require(store as? SQLChatStore).engine.backend
            func crossing(_ first: String, _ second: String) -> [SQLStatement] {
                [first, second].flatMap { name in [
                    SQLStatement("INSERT INTO users (name, password_hash, created_at) VALUES (?, NULL, 0) ON CONFLICT (name) DO NOTHING",
                                 [.text(name)]),
                    SQLStatement("SELECT pg_sleep(0.3)"),
                ] }
            }
            async let one = backend.transaction(crossing("dl-a", "dl-b"))
            async let two = backend.transaction(crossing("dl-b", "dl-a"))
            _ = try await (one, two)
            #expect(try await store.users().map(\.name).sorted() == ["dl-a", "dl-b"])
        }
    }
}
