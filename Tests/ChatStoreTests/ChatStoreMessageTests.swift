import ChatModel
import Foundation
import Testing
@testable import ChatStore

@Suite("Messages and history")
struct ChatStoreMessageTests {
    @Test("insert is idempotent by message id", arguments: StoreBackend.all)
    func insertIdempotent(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let batch = Fixture.messages(3)
            #expect(try await store.insert(messages: batch) == 3)
            #expect(try await store.insert(messages: batch) == 0)
            let withDuplicateInside = [Fixture.message("new-1"), Fixture.message("new-1"), batch[0]]
            #expect(try await store.insert(messages: withDuplicateInside) == 1)
            let page = try await store.history(channel: "general", before: nil, limit: 100)
            #expect(page.messages.map(\.id) == ["new-1", "m-general-002", "m-general-001", "m-general-000"])
            #expect(page.hasMore == false)
        }
    }

    @Test("fields survive the round trip", arguments: StoreBackend.all)
    func roundTrip(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let text = "héllo 🇪🇸 \"quoted\" 'single' ? $1 \\ \u{0}end"
            let moderated = Fixture.message("a", "general", "Bob.x", text,
                                            at: Date(timeIntervalSince1970: 1_795_305_600.123), masked: 4)
            let plain = Fixture.message("b", "@alice+bob", "alice", "dm")
            try await store.insert(messages: [StoredMessage(moderated, kafka: KafkaPosition(partition: 2, offset: 1 << 40)),
                                              StoredMessage(plain)])
            let got = try #require(try await store.history(channel: "general", before: nil, limit: 10).messages.first)
            var expected = moderated
            expected.data = text.replacingOccurrences(of: "\u{0}", with: "\u{2400}")  // NUL is stored as ␀
            #expect(got.message == expected)
            #expect(got.kafka == KafkaPosition(partition: 2, offset: 1 << 40))
            #expect(got.seq != nil)
            let dm = try await store.history(channel: "@alice+bob", before: nil, limit: 10).messages
            #expect(dm.map(\.message) == [plain])
            #expect(dm.first?.kafka == nil)
        }
    }

    @Test("pagination with before= is newest first, without gaps or duplicates", arguments: StoreBackend.all)
    func pagination(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let all = Fixture.messages(25)
            try await store.insert(messages: all)
            try await store.insert(messages: Fixture.messages(7, channel: "other"))
            var seen: [String] = []
            var cursor: String?
            var pages: [Int] = []
            repeat {
                let page = try await store.history(channel: "general", before: cursor, limit: 10)
                pages.append(page.messages.count)
                seen += page.messages.map(\.id)
                if cursor == nil {
                    // Newer messages arriving while paging must not shift older pages.
                    try await store.insert(messages: [Fixture.message("late-1", at: Fixture.at(hour: 5))])
                }
                cursor = page.nextBefore
            } while cursor != nil
            #expect(pages == [10, 10, 5])
            #expect(seen == all.reversed().map(\.id))
            #expect(Set(seen).count == 25)
        }
    }

    @Test("order is insertion (Kafka) order, not timestamp order", arguments: StoreBackend.all)
    func insertionOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            try await store.insert(messages: [Fixture.message("x", at: Fixture.at(hour: 9))])
            try await store.insert(messages: [Fixture.message("y", at: Fixture.at(hour: 1)),
                                              Fixture.message("z", at: Fixture.at(hour: 2))])
            let ids = try await store.history(channel: "general", before: nil, limit: 10).messages.map(\.id)
            #expect(ids == ["z", "y", "x"])
        }
    }

    @Test("limit is clamped to 1...100", arguments: StoreBackend.all)
    func limitClamp(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            try await store.insert(messages: Fixture.messages(120))
            #expect(try await store.history(channel: "general", before: nil, limit: 0).messages.count == 1)
            let big = try await store.history(channel: "general", before: nil, limit: 1000)
            #expect(big.messages.count == 100)
            #expect(big.hasMore)
            #expect(try await store.history(channel: "general").messages.count == HistoryPage.defaultLimit)
            let empty = try await store.history(channel: "nobody-here", before: nil, limit: 10)
            #expect(empty.messages.isEmpty && empty.nextBefore == nil)
        }
    }

    @Test("an unknown cursor or one from another channel is an error", arguments: StoreBackend.all)
    func unknownCursor(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            try await store.insert(messages: Fixture.messages(2) + Fixture.messages(2, channel: "other"))
            for cursor in ["does-not-exist", "m-other-001"] {
                let error = await #expect(throws: ChatStoreError.self) {
                    try await store.history(channel: "general", before: cursor, limit: 10)
                }
                #expect(error?.code == .unknownCursor)
            }
        }
    }

    @Test("concurrent batches all land with distinct sequence numbers", arguments: StoreBackend.all)
    func concurrentInserts(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        try await store.insert(messages: (0..<30).map { Fixture.message("w\(worker)-\($0)") })
                    }
                }
                var total = 0
                for try await n in group { total += n }
                #expect(total == 120)
            }
            let page = try await store.history(channel: "general", before: nil, limit: 100)
            let seqs = page.messages.compactMap(\.seq)
            #expect(seqs.count == 100 && Set(seqs).count == 100)
            #expect(seqs == seqs.sorted(by: >))
        }
    }
}
