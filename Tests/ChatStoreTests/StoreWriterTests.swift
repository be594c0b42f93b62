import ChatModel
import Foundation
import GRDB
import Testing
@testable import ChatStore
import TestSupport

@Suite("Store writer")
struct StoreWriterTests {
    static func record(_ topic: String, _ offset: Int64, key: String?, _ json: String) -> StoreInput {
        StoreInput(topic: topic, partition: 1, offset: offset, key: key.map { Array($0.utf8) }, value: Array(json.utf8))
    }

    @Test("routes records by topic, skips bad ones, and is idempotent on replay", arguments: StoreBackend.all)
    func write(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let writer = StoreWriter(store: store, topics: TopicNames(prefix: "chat"))
            #expect(writer.subscribedTopics == ["chat_controlled", "chat_control", "chat_private"])
            let batch = [
                Self.record("chat_controlled", 10, key: "general",
                            #"{"id":"k1","author":"alice","data":"f**k","timestamp":"2026-11-22T10:00:00.000Z","moderation":{"masked":3}}"#),
                Self.record("chat_controlled", 11, key: "general",
                            #"{"id":"k2","channel":"general","author":"bob","data":"hi","timestamp":"2021-10-10 10:10:10"}"#),
                Self.record("chat_controlled", 12, key: "general", "not json"),
                Self.record("chat_controlled", 13, key: "general",
                            #"{"id":"k3","channel":"general","author":"bad name!","data":"x","timestamp":"2026-11-22T10:00:00Z"}"#),
                Self.record("chat_control", 5, key: "alice",
                            #"{"type":"warning","user":"alice","warnings":1,"limit":3,"channel":"general","messageId":"k1","timestamp":"2026-11-22T10:00:01.000Z"}"#),
                Self.record("chat", 1, key: "general", #"{"author":"x","data":"raw","timestamp":"2026-11-22T10:00:00Z"}"#),
                Self.record("chat_private", 3, key: "@alice+bob",
                            #"{"id":"d1","author":"alice","data":"psst","timestamp":"2026-11-22T10:00:02.000Z"}"#),
                Self.record("chat_inbox.bob", 0, key: "@alice+bob",
                            #"{"id":"d2","author":"alice","data":"inboxes are not stored","timestamp":"2026-11-22T10:00:03.000Z"}"#),
            ]
            let summary = try await writer.write(batch)
            #expect(summary.messagesInserted == 3)
            #expect(summary.eventsApplied == 1)
            #expect(summary.deadLetters.map(\.offset) == [12, 13, 1, 0])
            #expect(summary.deadLetters.last?.reason == "not a store topic")
            let direct = try await store.history(channel: "@alice+bob", before: nil, limit: 10)
            #expect(direct.messages.map(\.id) == ["d1"], "DMs come from chat_private")
            #expect(summary.deadLetters.first?.value == "not json")
            #expect(summary.deadLetters.first?.key == "general")

            let page = try await store.history(channel: "general", before: nil, limit: 10)
            #expect(page.messages.map(\.id) == ["k2", "k1"])
            #expect(page.messages.last?.message.moderation?.masked == 3)
            #expect(page.messages.last?.kafka == KafkaPosition(partition: 1, offset: 10))
            #expect(page.messages.first?.message.timestamp == Timestamp.parse("2021-10-10T10:10:10Z"))
            #expect(try await store.user(named: "alice")?.warnings == 1)

            let replay = try await writer.write(batch)
            #expect(replay.messagesInserted == 0 && replay.eventsApplied == 0)
            #expect(try await writer.write([]) == StoreWriteSummary())
        }
    }
}

@Suite("SQL plumbing and configuration")
struct StoreConfigurationTests {
    @Test func placeholdersAreNumberedOutsideQuotes() {
        let sql = "SELECT '?', \"a?\" FROM t WHERE a = ? AND b LIKE 'x?' AND c IN (?, ?)"
        #expect(SQLDialect.postgres.render(sql) == "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b LIKE 'x?' AND c IN ($2, $3)")
        #expect(SQLDialect.sqlite.render(sql) == sql)
        #expect(SQLStatement.valuesList(rows: 2, columns: 3) == "(?, ?, ?), (?, ?, ?)")
    }

    @Test func nulIsStoredAsSymbol() {
        #expect(SQLValue.text("a\u{0}b").bound == .text("a\u{2400}b"))
        #expect(SQLValue.int(5).bound == .int(5))
    }

    @Test func parsesURLs() throws {
        let c = try PostgresStoreConfiguration(url: "postgres://kchat:p%40ss@db.example:6543/chat?sslmode=disable&schema=kchat_1&max_connections=7")
        #expect(c.client.username == "kchat")
        #expect(c.client.password == "p@ss")
        #expect(c.client.host == "db.example")
        #expect(c.client.port == 6543)
        #expect(c.client.database == "chat")
        #expect(c.schema == "kchat_1")
        #expect(c.client.options.maximumConnections == 7)

        let socket = try PostgresStoreConfiguration(url: "postgresql://me@/kchat?host=/tmp/pg&sslmode=disable")
        #expect(socket.client.unixSocketPath == "/tmp/pg/.s.PGSQL.5432")
        #expect(socket.client.password == nil)
        #expect(socket.schema == nil)
    }

    @Test(arguments: ["mysql://u@h/db", "postgres://h/db", "not a url", "postgres://u@h/db?sslmode=bogus",
                      "postgres://u@h/db?schema=Bad-Name", "postgres://u@h/db?max_connections=0"])
    func rejectsBadURLs(_ url: String) {
        #expect(throws: ChatStoreError.self) { try PostgresStoreConfiguration(url: url) }
    }

    @Test func sqliteFileStorePersists() async throws {
        let dir = TemporaryDirectory.make(prefix: "kchat-store")
        defer { TemporaryDirectory.remove(dir) }
        let path = dir + "/kchat.sqlite"
        do {
            let store = try SQLChatStore.sqlite(path: path)
            #expect(try await store.insert(messages: Fixture.messages(3)) == 3)
        }
        let reopened = try SQLChatStore.sqlite(path: path)
        #expect(try await reopened.history(channel: "general", before: nil, limit: 10).messages.count == 3)
        #expect(try await reopened.insert(messages: Fixture.messages(4)) == 1)
        // Durable at each commit (FULL = 2), not GRDB's WAL default NORMAL (1): the store writer
        // commits its Kafka offsets as soon as a write returns.
        let writer = try #require(reopened.engine.backend as? SQLiteBackend).writer
        #expect(try await writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
    }
}

@Suite("--db option")
struct DatabaseSpecTests {
    @Test func parses() throws {
        #expect(try DatabaseSpec("sqlite:/var/lib/kchat/db.sqlite") == .sqlite(path: "/var/lib/kchat/db.sqlite"))
        #expect(try DatabaseSpec("sqlite::memory:") == .sqliteInMemory)
        #expect(try DatabaseSpec("postgres://u:p@h/db") == .postgres(url: "postgres://u:p@h/db"))
        for bad in ["", "sqlite:", "mysql://x", "/tmp/x.db"] {
            #expect(throws: ChatStoreError.self) { try DatabaseSpec(bad) }
        }
        let (store, postgres) = try DatabaseSpec.sqliteInMemory.open()
        #expect(postgres == nil)
        #expect((store as? SQLChatStore)?.isPostgres == false)
    }
}
