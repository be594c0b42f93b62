import ChatAPI
import ChatModel
import ChatStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Messages")
struct APIMessageTests {
    @Test func postPublishesAsTheTokenSubject() async throws {
        let h = try APIHarness()
        _ = try await h.store.createChannel(name: "general", createdBy: nil, at: Date())
        try await h.run { client in
            let alice = try await client.token(for: "alice")
            let response = try await client.send(.post, "/v1/channels/general/messages", token: alice,
                                                 body: json(["data": "hello there", "author": "mallory"]))
            #expect(response.status == .accepted)
            let body = try response.object()
            let id = try #require(body["id"] as? String)
            #expect(body["author"] as? String == "alice")
            #expect(body["channel"] as? String == "general")
            let published = await h.publisher.published
            #expect(published.count == 1)
            #expect(published.first?.id == id)
            #expect(published.first?.author == "alice")
            #expect(published.first?.channel == "general")
            #expect(published.first?.data == "hello there")
            #expect(await h.publisher.tokens == [alice], "signed with the caller's token, as the moderator requires")

            let withID = try await client.send(.post, "/v1/channels/%23general/messages", token: alice,
                                               body: json(["data": "retry-safe", "id": "client-id-1"]))
            #expect(try withID.object()["id"] as? String == "client-id-1")

            let unknown = try await client.send(.post, "/v1/channels/nowhere/messages", token: alice,
                                                body: json(["data": "x"]))
            #expect(unknown.status == .notFound)
            #expect(try unknown.errorCode() == "channel_not_found")
            #expect(try await client.send(.post, "/v1/channels/general/messages", body: json(["data": "x"])).status
                    == .unauthorized)
            #expect(await h.publisher.published.count == 2)

            await h.publisher.setFailing(true)
            let down = try await client.send(.post, "/v1/channels/general/messages", token: alice, body: json(["data": "x"]))
            #expect(down.status == .serviceUnavailable)
            #expect(try down.errorCode() == "publish_failed")
        }
    }

    @Test func invalidAndOversizeMessages() async throws {
        let h = try APIHarness()
        _ = try await h.store.createChannel(name: "general", createdBy: nil, at: Date())
        try await h.run { client in
            let alice = try await client.token(for: "alice")
            let uri = "/v1/channels/general/messages"
            let exact = try await client.send(.post, uri, token: alice,
                                              body: json(["data": String(repeating: "é", count: 2048)]))
            #expect(exact.status == .accepted)  // 4096 bytes exactly

            let over = try await client.send(.post, uri, token: alice, body: json(["data": String(repeating: "a", count: 4097)]))
            #expect(over.status == .contentTooLarge)
            #expect(try over.errorCode() == "message_too_large")

            let huge = try await client.send(.post, uri, token: alice, body: json(["data": String(repeating: "a", count: 70_000)]))
            #expect(huge.status == .contentTooLarge)
            #expect(try huge.errorCode() == "request_too_large")

            let cases: [(String, String)] = [
                (json(["data": "   \n"]), "empty_message"),
                (json(["data": ""]), "empty_message"),
                ("{\"data\": ", "malformed_json"),
                ("not json", "malformed_json"),
                (json(["text": "hi"]), "missing_field"),
                (json(["data": 5]), "invalid_field"),
                (json(["data": "x", "id": String(repeating: "i", count: 129)]), "invalid_id"),
            ]
            for (body, code) in cases {
                let response = try await client.send(.post, uri, token: alice, body: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try response.errorCode() == code, "\(body)")
            }
            #expect(await h.publisher.published.count == 1)
        }
    }

    @Test func blockedUsersGet403() async throws {
        let h = try APIHarness()
        _ = try await h.store.createChannel(name: "general", createdBy: nil, at: Date())
        try await h.run { client in
            let bob = try await client.token(for: "bob")
            try await h.store.apply(controlEvents: [.blocked(user: "bob", warnings: 3, limit: 3)])
            let blocked = try await client.send(.post, "/v1/channels/general/messages", token: bob, body: json(["data": "hi"]))
            #expect(blocked.status == .forbidden)
            #expect(try blocked.errorCode() == "user_blocked")
            #expect(await h.publisher.published.isEmpty)

            try await h.store.apply(controlEvents: [.unblocked(user: "bob")])
            let again = try await client.send(.post, "/v1/channels/general/messages", token: bob, body: json(["data": "hi"]))
            #expect(again.status == .accepted)
        }
    }

    @Test func directChannelsArePrivateToTheTwo() async throws {
        let h = try APIHarness()
        try await h.store.insert(messages: [ChatMessage(id: "d1", channel: "@alice+bob", author: "alice", data: "psst")])
        try await h.run { client in
            let alice = try await client.token(for: "alice")
            let bob = try await client.token(for: "bob")
            let carol = try await client.token(for: "carol")
            for path in ["/v1/channels/@alice+bob/messages", "/v1/channels/%40bob%2Balice/messages"] {
                let read = try await client.send(.get, path, token: bob)
                #expect(read.status == .ok, "\(path)")
                let messages = try #require(try read.object()["messages"] as? [[String: Any]])
                #expect(messages.map { $0["id"] as? String } == ["d1"])
                #expect(try read.object()["channel"] as? String == "@alice+bob")
            }
            let post = try await client.send(.post, "/v1/channels/@alice+bob/messages", token: alice, body: json(["data": "hi bob"]))
            #expect(post.status == .accepted)
            #expect(await h.publisher.published.last?.channel == "@alice+bob")

            let spyRead = try await client.send(.get, "/v1/channels/@alice+bob/messages", token: carol)
            #expect(spyRead.status == .forbidden)
            #expect(try spyRead.errorCode() == "not_a_participant")
            let spyPost = try await client.send(.post, "/v1/channels/@alice+bob/messages", token: carol, body: json(["data": "x"]))
            #expect(spyPost.status == .forbidden)
            let anonymous = try await client.send(.get, "/v1/channels/@alice+bob/messages")
            #expect(anonymous.status == .unauthorized)
            #expect(try await client.send(.get, "/v1/channels/@alice+alice/messages", token: alice).status == .badRequest)
            #expect(await h.publisher.published.count == 1)
            #expect(try await client.send(.get, "/v1/channels", token: alice).text.contains("@") == false)
        }
    }

    @Test func historyPagesWithoutGapsOrDuplicates() async throws {
        let h = try APIHarness()
        let base = Date(timeIntervalSince1970: 1_795_305_600)
        let all = (0..<25).map { i in
            ChatMessage(id: String(format: "id-%02d", i), channel: "general", author: i % 2 == 0 ? "alice" : "bob",
                        data: "message \(i)", timestamp: base.addingTimeInterval(Double(i)),
                        moderation: i == 3 ? .init(masked: 4) : nil)
        }
        try await h.store.insert(messages: all)
        try await h.run { client in
            var ids: [String] = []
            var pageSizes: [Int] = []
            var uri = "/v1/channels/general/messages?limit=10"
            while true {
                let response = try await client.send(.get, uri)
                #expect(response.status == .ok)
                let page = try response.object()
                let messages = try #require(page["messages"] as? [[String: Any]])
                pageSizes.append(messages.count)
                ids += messages.compactMap { $0["id"] as? String }
                guard let next = page["nextBefore"] as? String else { break }
                #expect(next == ids.last)
                uri = "/v1/channels/general/messages?limit=10&before=\(next)"
            }
            #expect(pageSizes == [10, 10, 5])
            #expect(ids == all.reversed().map(\.id))

            let first = try await client.send(.get, "/v1/channels/general/messages")
            let messages = try #require(try first.object()["messages"] as? [[String: Any]])
            #expect(messages.count == 10)  // default limit
            #expect(messages.first?["timestamp"] as? String == "2026-11-22T00:00:24.000Z")
            let masked = try await client.send(.get, "/v1/channels/general/messages?before=id-04&limit=1")
            let one = try #require(try masked.object()["messages"] as? [[String: Any]])
            #expect(one.first?["masked"] as? Int == 4)
            #expect(one.first?["author"] as? String == "bob")

            #expect(try await client.send(.get, "/v1/channels/general/messages?limit=100").status == .ok)
            for bad in ["0", "101", "-1", "ten", ""] {
                let response = try await client.send(.get, "/v1/channels/general/messages?limit=\(bad)")
                #expect(response.status == .badRequest, "limit=\(bad)")
                #expect(try response.errorCode() == "invalid_limit")
            }
            let cursor = try await client.send(.get, "/v1/channels/general/messages?before=no-such-id")
            #expect(cursor.status == .badRequest)
            #expect(try cursor.errorCode() == "invalid_cursor")
            let missing = try await client.send(.get, "/v1/channels/nowhere/messages")
            #expect(missing.status == .notFound)
            #expect(try missing.errorCode() == "channel_not_found")
            #expect(try await client.send(.get, "/v1/channels/Bad%20Name/messages").status == .badRequest)
        }
    }
}
