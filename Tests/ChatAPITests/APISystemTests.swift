import ChatAPI
import ChatAPIModels
import ChatModel
import ChatStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Stats, health, metrics, OpenAPI")
struct APISystemTests {
    @Test func statsHealthMetrics() async throws {
        let h = try APIHarness(admins: ["root"])
        try await h.store.insert(messages: [
            ChatMessage(channel: "general", author: "alice", data: "a"),
            ChatMessage(channel: "general", author: "bob", data: "b"),
            ChatMessage(channel: "@alice+bob", author: "bob", data: "c"),
        ])
        try await h.run { client in
            let stats = try await client.send(.get, "/v1/stats")
            #expect(stats.status == .ok)
            let body = try stats.object()
            let totals = try #require(body["totals"] as? [String: Any])
            #expect(totals["messages"] as? Int == 3)
            let perUser = try #require(body["messagesPerUser"] as? [[String: Any]])
            #expect(perUser.first?["name"] as? String == "bob")
            #expect(perUser.first?["count"] as? Int == 2)
            // Who writes to whom in private is for admins only.
            #expect((body["directPairs"] as? [[String: Any]])?.isEmpty == true)
            let perChannel = try #require(body["messagesPerChannel"] as? [[String: Any]])
            #expect(perChannel.compactMap { $0["name"] as? String } == ["general"])
            let bob = try await client.token(for: "bob")
            let asBob = try await client.send(.get, "/v1/stats", token: bob).object()
            #expect((asBob["directPairs"] as? [[String: Any]])?.isEmpty == true)
            let root = try await client.token(for: "root")
            let asAdmin = try await client.send(.get, "/v1/stats", token: root).object()
            let pairs = try #require(asAdmin["directPairs"] as? [[String: Any]])
            #expect(pairs.first?["a"] as? String == "alice" && pairs.first?["b"] as? String == "bob")
            let adminChannels = try #require(asAdmin["messagesPerChannel"] as? [[String: Any]])
            #expect(Set(adminChannels.compactMap { $0["name"] as? String }) == ["general", "@alice+bob"])
            #expect(try await client.send(.get, "/v1/stats", token: "not-a-token").status == .unauthorized)
            #expect(try await client.send(.get, "/v1/stats?top=0").status == .badRequest)
            #expect(try await client.send(.get, "/v1/stats?top=1").status == .ok)

            let health = try await client.send(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(try health.object()["status"] as? String == "ok")

            let wrongMethod = try await client.send(.put, "/v1/channels/general")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(try wrongMethod.errorCode() == "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "DELETE")
            #expect(try await client.send(.trace, "/v1/users").headers[.allow] == "GET, POST, HEAD")
            #expect(try await client.send(.head, "/healthz").status == .ok)

            let notFound = try await client.send(.get, "/v1/nope")
            #expect(notFound.status == .notFound)
            #expect(try notFound.errorCode() == "not_found")

            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("# TYPE kchat_http_requests_total counter"))
            #expect(metrics.text.contains(#"kchat_http_requests_total{method="GET",route="/v1/stats",status="200"} 4"#))
            #expect(metrics.text.contains(#"status="404""#))
            #expect(metrics.text.contains("kchat_http_request_duration_seconds_bucket"))
        }
    }

    @Test func healthReportsABrokenStore() async throws {
        let h = try APIHarness()
        let app = buildApplication(h.config, store: FailingStore(), publisher: h.publisher)
        try await app.test(.router) { client in
            let response = try await client.send(.get, "/healthz")
            #expect(response.status == .serviceUnavailable)
            #expect(try response.errorCode() == "store_unavailable")
            let other = try await client.send(.get, "/v1/channels")
            #expect(other.status == .internalServerError)
            #expect(try other.errorCode() == "internal_error")
            #expect(other.text.contains("disk on fire") == false)  // internals are not leaked
        }
    }

    @Test func liveServerOverLoopback() async throws {
        let h = try APIHarness()
        var config = h.config
        config.port = 0  // any free port on 127.0.0.1
        _ = try await h.store.createChannel(name: "general", createdBy: nil, at: Date())
        let app = buildApplication(config, store: h.store, publisher: h.publisher)
        try await app.test(.live) { client in
            let alice = try await client.token(for: "alice")
            _ = try await client.token(for: "bob")
            let dm = try await client.send(.post, "/v1/channels/@alice+bob/messages", token: alice, body: json(["data": "hi"]))
            #expect(dm.status == .accepted)
            let big = try await client.send(.post, "/v1/channels/general/messages", token: alice,
                                            body: json(["data": String(repeating: "z", count: 100_000)]))
            #expect(big.status == .contentTooLarge)
            #expect(try big.errorCode() == "request_too_large")
            #expect(try await client.send(.get, "/healthz").status == .ok)
        }
        #expect(await h.publisher.published.map(\.channel) == ["@alice+bob"])
    }

    @Test func openAPIDocumentDescribesEveryRoute() async throws {
        let h = try APIHarness()
        try await h.run { client in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let doc = try response.object()
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            let expected: [String: Set<String>] = [
                "/v1/users": ["get", "post"], "/v1/login": ["post"], "/v1/token": ["post"], "/v1/channels": ["get", "post"],
                "/v1/channels/{channel}": ["delete"], "/v1/channels/{channel}/messages": ["get", "post"],
                "/v1/stats": ["get"], "/healthz": ["get"], "/metrics": ["get"], "/openapi.json": ["get"],
                "/.well-known/jwks.json": ["get"],
            ]
            #expect(Set(paths.keys) == Set(expected.keys))
            for (path, methods) in expected {
                #expect(Set(paths[path]?.keys.filter { $0 != "parameters" } ?? []) == methods, "\(path)")
            }
            // The router agrees: any other method on a documented path is 405 with the same Allow list.
            for (path, methods) in expected {
                let concrete = path.replacingOccurrences(of: "{channel}", with: "general")
                let response = try await client.send(.patch, concrete)
                #expect(response.status == .methodNotAllowed, "\(path)")
                let allow = Set((response.headers[.allow] ?? "").split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces).lowercased()
                })
                #expect(allow.subtracting(["head"]) == methods, "\(path)")
            }
            // Every $ref points at something that exists.
            let components = try #require(doc["components"] as? [String: [String: Any]])
            let refs = response.text.matches(of: /"\$ref": "#\/components\/(\w+)\/(\w+)"/)
            #expect(refs.count > 20)
            for ref in refs {
                #expect(components[String(ref.1)]?[String(ref.2)] != nil, "\(ref.0)")
            }
        }
    }
}

/// A store whose database is gone.
struct FailingStore: ChatStore {
    struct Down: Error, CustomStringConvertible { var description: String { "disk on fire" } }
    func migrate() async throws { throw Down() }
    func ping() async throws { throw Down() }
    func insert(messages: [StoredMessage]) async throws -> Int { throw Down() }
    func apply(controlEvents: [ControlEvent]) async throws -> Int { throw Down() }
    func history(channel: String, before: String?, limit: Int) async throws -> HistoryPage { throw Down() }
    func channels() async throws -> [ChannelRecord] { throw Down() }
    func channel(named name: String) async throws -> ChannelRecord? { throw Down() }
    func createChannel(name: String, createdBy: String?, at date: Date) async throws -> ChannelRecord? { throw Down() }
    func deleteChannel(name: String) async throws -> Bool { throw Down() }
    func createUser(name: String, passwordHash: String, at date: Date) async throws -> Bool { throw Down() }
    func user(named name: String) async throws -> UserRecord? { throw Down() }
    func users() async throws -> [UserRecord] { throw Down() }
    func stats(top: Int) async throws -> ChatStats { throw Down() }
}
