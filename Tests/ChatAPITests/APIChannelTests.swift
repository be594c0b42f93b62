import ChatAPI
import ChatModel
import ChatStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Channels")
struct APIChannelTests {
    @Test func createListDelete() async throws {
        let h = try APIHarness(admins: ["root"])
        try await h.run { client in
            let alice = try await client.token(for: "alice")
            let bob = try await client.token(for: "bob")
            let root = try await client.token(for: "root")

            let created = try await client.send(.post, "/v1/channels", token: alice, body: json(["name": "#Swift"]))
            #expect(created.status == .created)
            #expect(try created.object()["name"] as? String == "swift")
            #expect(try created.object()["createdBy"] as? String == "alice")

            let duplicate = try await client.send(.post, "/v1/channels", token: bob, body: json(["name": "swift"]))
            #expect(duplicate.status == .conflict)
            #expect(try duplicate.errorCode() == "channel_exists")

            for name in ["no spaces", "", String(repeating: "x", count: 65), "@alice+bob", "bad/slash"] {
                let response = try await client.send(.post, "/v1/channels", token: alice, body: json(["name": name]))
                #expect(response.status == .badRequest, "\(name)")
                #expect(try response.errorCode() == "invalid_channel", "\(name)")
            }
            #expect(try await client.send(.post, "/v1/channels", token: bob, body: json(["name": "rust"])).status == .created)

            let list = try await client.send(.get, "/v1/channels")
            #expect(list.status == .ok)
            let channels = try #require(try list.object()["channels"] as? [[String: Any]])
            #expect(channels.map { $0["name"] as? String } == ["rust", "swift"])
            #expect(channels[0]["messageCount"] as? Int == 0)

            let notOwner = try await client.send(.delete, "/v1/channels/swift", token: bob)
            #expect(notOwner.status == .forbidden)
            #expect(try notOwner.errorCode() == "not_channel_owner")
            #expect(try await client.send(.delete, "/v1/channels/swift").status == .unauthorized)
            #expect(try await client.send(.delete, "/v1/channels/swift", token: alice).status == .noContent)
            let gone = try await client.send(.delete, "/v1/channels/swift", token: alice)
            #expect(gone.status == .notFound)
            #expect(try gone.errorCode() == "channel_not_found")
            #expect(try await client.send(.delete, "/v1/channels/rust", token: root).status == .noContent)
            #expect(try await client.send(.delete, "/v1/channels/%40alice%2Bbob", token: alice).status == .badRequest)
            #expect(try await h.store.channels().isEmpty)
        }
    }

    @Test func readsCanRequireAuth() async throws {
        let h = try APIHarness(requireAuthForReads: true)
        try await h.run { client in
            for uri in ["/v1/channels", "/v1/users", "/v1/stats"] {
                let response = try await client.send(.get, uri)
                #expect(response.status == .unauthorized, "\(uri)")
            }
            let token = try await client.token(for: "alice")
            #expect(try await client.send(.get, "/v1/channels", token: token).status == .ok)
        }
    }
}
