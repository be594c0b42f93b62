import ChatModel
import Foundation
import Testing
@testable import ChatStore

@Suite("Channels and users")
struct ChatStoreDirectoryTests {
    @Test("channels: create, duplicate, list, get, delete with history", arguments: StoreBackend.all)
    func channels(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            let created = try #require(try await store.createChannel(name: "swift", createdBy: "alice", at: Fixture.epoch))
            #expect(created == ChannelRecord(name: "swift", createdAt: Fixture.epoch, createdBy: "alice"))
            #expect(try await store.createChannel(name: "swift", createdBy: "bob", at: Fixture.epoch) == nil)

            // Public channels appear on first message (created by the first author); DMs never.
            try await store.insert(messages: [Fixture.message("1", "general", "carol", at: Fixture.at(hour: 1)),
                                              Fixture.message("2", "general", "dave", at: Fixture.at(hour: 2)),
                                              Fixture.message("3", "@alice+bob", "bob")])
            let list = try await store.channels()
            #expect(list.map(\.name) == ["general", "swift"])
            let general = try #require(list.first)
            #expect(general.createdBy == "carol")
            #expect(general.messageCount == 2)
            #expect(general.lastMessageAt == Fixture.at(hour: 2))
            #expect(list[1].messageCount == 0 && list[1].lastMessageAt == nil)
            #expect(try await store.channel(named: "@alice+bob") == nil)
            #expect(try await store.channel(named: "general")?.createdAt == Fixture.at(hour: 1))

            #expect(try await store.deleteChannel(name: "general"))
            #expect(try await store.deleteChannel(name: "general") == false)
            #expect(try await store.channel(named: "general") == nil)
            #expect(try await store.history(channel: "general", before: nil, limit: 10).messages.isEmpty)
            #expect(try await store.history(channel: "@alice+bob", before: nil, limit: 10).messages.count == 1)
        }
    }

    @Test("users: register, conflict, claim a name seen in chat, list in byte order", arguments: StoreBackend.all)
    func users(_ backend: StoreBackend) async throws {
        try await backend.withStore { store async throws in
            #expect(try await store.createUser(name: "alice", passwordHash: "h1", at: Fixture.epoch))
            #expect(try await store.createUser(name: "alice", passwordHash: "h2", at: Fixture.epoch) == false)
            #expect(try await store.user(named: "alice")?.passwordHash == "h1")
            #expect(try await store.user(named: "nobody") == nil)

            try await store.insert(messages: [Fixture.message("1", "general", "Zed", at: Fixture.at(hour: 3))])
            let zed = try #require(try await store.user(named: "Zed"))
            #expect(zed.isRegistered == false)
            #expect(zed.createdAt == Fixture.at(hour: 3))
            #expect(try await store.createUser(name: "Zed", passwordHash: "hz", at: Fixture.epoch))
            #expect(try await store.user(named: "Zed")?.passwordHash == "hz")
            #expect(try await store.createUser(name: "Zed", passwordHash: "other", at: Fixture.epoch) == false)

            let names = try await store.users().map(\.name)
            #expect(names == ["Zed", "alice"])  // byte order on both backends
            let alice = try #require(try await store.users().last)
            #expect(alice.blocked == false && alice.warnings == 0 && alice.totalWarnings == 0)
        }
    }
}
