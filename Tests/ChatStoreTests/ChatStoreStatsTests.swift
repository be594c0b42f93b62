import ChatAPIModels
import ChatModel
import Foundation
import Testing
@testable import ChatStore

@Suite("Statistics")
struct ChatStoreStatsTests {
    static func seed(_ store: any ChatStore) async throws {
        var n = 0
        func m(_ channel: String, _ author: String, hour: Int) -> ChatMessage {
            n += 1
            return Fixture.message("s\(n)", channel, author, "text", at: Fixture.at(hour: hour, minute: n))
        }
        let messages = [
            m("general", "alice", hour: 10), m("general", "alice", hour: 10), m("general", "alice", hour: 11),
            m("general", "bob", hour: 10), m("general", "bob", hour: 12),
            m("random", "alice", hour: 11), m("random", "carol", hour: 23),
            m("@alice+bob", "alice", hour: 10), m("@alice+bob", "alice", hour: 10), m("@alice+bob", "bob", hour: 10),
            m("@bob+carol", "carol", hour: 0),
        ]
        try await store.insert(messages: messages)
        try await store.apply(controlEvents: [
            .warning(user: "bob", warnings: 1, limit: 3, channel: "general", messageId: "s4", timestamp: Fixture.at(hour: 10)),
            .warning(user: "bob", warnings: 2, limit: 3, channel: "general", messageId: "s5", timestamp: Fixture.at(hour: 12)),
            .warning(user: "carol", warnings: 1, limit: 3, channel: "random", messageId: "s7", timestamp: Fixture.at(hour: 23)),
            .blocked(user: "bob", warnings: 3, limit: 3, timestamp: Fixture.at(hour: 13)),
        ])
    }

    @Test("aggregates over a known data set", arguments: StoreBackend.all)
    func known(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            try await Self.seed(store)
            let stats = try await store.stats()
            #expect(stats.totals == .init(messages: 11, users: 3, channels: 2, warnings: 3, blocks: 1,
                                          blockedUsers: 1, rejected: 0))
            typealias NC = ChatStats.NameCount
            #expect(stats.messagesPerUser == [NC(name: "alice", count: 6), NC(name: "bob", count: 3),
                                              NC(name: "carol", count: 2)])
            #expect(stats.messagesPerChannel == [NC(name: "general", count: 5), NC(name: "@alice+bob", count: 3),
                                                 NC(name: "random", count: 2), NC(name: "@bob+carol", count: 1)])
            #expect(stats.warningsPerUser == [NC(name: "bob", count: 2), NC(name: "carol", count: 1)])
            #expect(stats.blockedUsers == ["bob"])
            #expect(stats.activeHours.map { [$0.hour, $0.count] } == [[10, 6], [11, 2], [0, 1], [12, 1], [23, 1]])
            #expect(stats.directPairs == [.init(a: "alice", b: "bob", count: 3), .init(a: "bob", b: "carol", count: 1)])
            #expect(stats.sharedChannels == [.init(a: "alice", b: "bob", count: 1), .init(a: "alice", b: "carol", count: 1)])

            let top1 = try await store.stats(top: 1)
            #expect(top1.messagesPerUser.map(\.name) == ["alice"])
            #expect(top1.messagesPerChannel.count == 1 && top1.directPairs.count == 1 && top1.sharedChannels.count == 1)
            #expect(top1.activeHours.count == 5)  // all 24 hours at most, never cut
        }
    }

    @Test("an empty store has zero totals and empty lists", arguments: StoreBackend.all)
    func empty(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let stats = try await store.stats()
            #expect(stats.totals == .init(messages: 0, users: 0, channels: 0, warnings: 0, blocks: 0,
                                          blockedUsers: 0, rejected: 0))
            #expect(stats.messagesPerUser.isEmpty && stats.activeHours.isEmpty && stats.sharedChannels.isEmpty)
            try await store.ping()
            try await store.migrate()  // idempotent
        }
    }
}
