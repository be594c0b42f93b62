import ChatModel
import Foundation
import Testing
@testable import ChatStore

@Suite("Control events")
struct ChatStoreControlTests {
    static func warning(_ n: Int, _ id: String, at hour: Int) -> ControlEvent {
        .warning(user: "bob", warnings: n, limit: 3, channel: "general", messageId: id, timestamp: Fixture.at(hour: hour))
    }

    @Test("warnings count once per message; blocked, unblocked; replays change nothing", arguments: StoreBackend.all)
    func standing(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let first = [Self.warning(1, "m1", at: 1), Self.warning(2, "m2", at: 2)]
            #expect(try await store.apply(controlEvents: first) == 2)
            #expect(try await store.apply(controlEvents: first) == 0)
            var bob = try #require(try await store.user(named: "bob"))
            #expect(bob.warnings == 2 && bob.totalWarnings == 2 && !bob.blocked && !bob.isRegistered)

            let block = [Self.warning(3, "m3", at: 3),
                         .blocked(user: "bob", warnings: 3, limit: 3, channel: "general", timestamp: Fixture.at(hour: 3))]
            #expect(try await store.apply(controlEvents: block) == 2)
            bob = try #require(try await store.user(named: "bob"))
            #expect(bob.blocked && bob.warnings == 3)

            let unblock = ControlEvent.unblocked(user: "bob", reason: "appeal", timestamp: Fixture.at(hour: 4))
            #expect(try await store.apply(controlEvents: [unblock]) == 1)
            bob = try #require(try await store.user(named: "bob"))
            #expect(!bob.blocked && bob.warnings == 0 && bob.totalWarnings == 3)

            // A replay of everything after a crash: nothing is counted twice, bob stays unblocked.
            #expect(try await store.apply(controlEvents: first + block + [unblock]) == 0)
            bob = try #require(try await store.user(named: "bob"))
            #expect(!bob.blocked && bob.warnings == 0 && bob.totalWarnings == 3)

            // Same event twice in one batch counts once.
            let again = Self.warning(1, "m4", at: 5)
            #expect(try await store.apply(controlEvents: [again, again]) == 1)
            #expect(try await store.user(named: "bob")?.warnings == 1)
        }
    }

    @Test("a warning without a count adds one", arguments: StoreBackend.all)
    func warningWithoutCount(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let events = (1...2).map {
                ControlEvent(type: .warning, user: "eve", messageId: "x\($0)", timestamp: Fixture.at(hour: $0))
            }
            #expect(try await store.apply(controlEvents: events) == 2)
            #expect(try await store.user(named: "eve")?.warnings == 2)
        }
    }

    @Test("join creates a public channel; rejected and leave are recorded", arguments: StoreBackend.all)
    func membership(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let events: [ControlEvent] = [
                .join(user: "carol", channel: "rust", timestamp: Fixture.at(hour: 1)),
                .join(user: "carol", channel: "@carol+dave", timestamp: Fixture.at(hour: 1)),
                .leave(user: "carol", channel: "rust", timestamp: Fixture.at(hour: 2)),
                .rejected(user: "mallory", channel: "rust", messageId: "r1", timestamp: Fixture.at(hour: 2)),
            ]
            #expect(try await store.apply(controlEvents: events) == 4)
            #expect(try await store.channels().map(\.name) == ["rust"])
            #expect(try await store.channel(named: "rust")?.createdBy == "carol")
            #expect(try await store.stats().totals.rejected == 1)
            #expect(try await store.users().map(\.name) == ["carol", "mallory"])
        }
    }
}
