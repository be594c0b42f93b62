import ChatAPI
import ChatModel
import ChatStore
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Testing

@Suite("Users, login and tokens")
struct APIUserTests {
    @Test func registerAndConflicts() async throws {
        let h = try APIHarness()
        try await h.run { client in
            let created = try await client.send(.post, "/v1/users", body: json(["name": "alice", "password": "secret-pw"]))
            #expect(created.status == .created)
            let user = try created.object()
            #expect(user["name"] as? String == "alice")
            #expect(user["registered"] as? Bool == true)
            #expect(user["blocked"] as? Bool == false)
            #expect(created.headers[.contentType]?.hasPrefix("application/json") == true)

            let again = try await client.send(.post, "/v1/users", body: json(["name": "alice", "password": "other-pw1"]))
            #expect(again.status == .conflict)
            #expect(try again.errorCode() == "user_exists")

            let cases: [(String, String)] = [
                (json(["name": "bad name", "password": "secret-pw"]), "invalid_name"),
                (json(["name": String(repeating: "a", count: 33), "password": "secret-pw"]), "invalid_name"),
                (json(["name": "bob", "password": "short"]), "invalid_password"),
                (json(["name": "bob", "password": String(repeating: "p", count: 73)]), "invalid_password"),
                (json(["name": "bob", "password": "ääää"]), "invalid_password"),  // 8 bytes, 4 characters
                (json(["name": "bob", "password": String(repeating: "é", count: 37)]), "invalid_password"),  // 74 bytes
                ("{\"name\": \"bob\", ", "malformed_json"),
                ("[1, 2]", "malformed_json"),
                ("", "malformed_json"),
                (json(["name": "bob"]), "missing_field"),
                (json(["name": 42, "password": "secret-pw"]), "invalid_field"),
            ]
            for (body, code) in cases {
                let response = try await client.send(.post, "/v1/users", body: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try response.errorCode() == code, "\(body)")
            }
            let stored = try #require(try await h.store.user(named: "alice"))
            #expect(stored.passwordHash?.hasPrefix("$2") == true)  // bcrypt, not the password
        }
    }

    @Test func loginIssuesAnEdDSATokenThatThePublishedKeyAloneChecks() async throws {
        let h = try APIHarness(admins: ["root"])
        try await h.run { client in
            let token = try await client.token(for: "alice")
            // Whoever holds only the JWKS (a broker, another cluster's OIDC validator) can check it.
            let jwks = try await client.send(.get, "/.well-known/jwks.json")
            #expect(jwks.status == .ok)
            let key = try #require((try jwks.object()["keys"] as? [[String: Any]])?.first)
            #expect(key["kty"] as? String == "OKP" && key["crv"] as? String == "Ed25519" && key["alg"] as? String == "EdDSA")
            #expect(key["d"] == nil, "no private part")
            let publicKey = try EdDSA.PublicKey(x: try #require(key["x"] as? String), curve: .ed25519)
            let keys = await JWTKeyCollection().add(eddsa: publicKey)
            let payload = try await keys.verify(token, as: AccessToken.self)
            #expect(payload.sub.value == "alice" && payload.roles == [.user])
            #expect(payload.exp.value > Date().addingTimeInterval(3600))
            #expect(token.split(separator: ".").count == 3)
            let header = try #require(Data(base64URL: String(token.split(separator: ".")[0])))
            #expect(String(decoding: header, as: UTF8.self).contains("\"EdDSA\""))
            #expect(String(decoding: header, as: UTF8.self).contains(try #require(key["kid"] as? String)))
            let root = try await keys.verify(try await client.token(for: "root"), as: AccessToken.self)
            #expect(root.roles == [.user, .admin])

            // A valid token buys a fresh one (same user and roles) without the password.
            let refreshed = try await client.send(.post, "/v1/token", token: token)
            #expect(refreshed.status == .ok)
            let renewed = try await keys.verify(try #require(try refreshed.object()["token"] as? String), as: AccessToken.self)
            #expect(renewed.sub.value == "alice" && renewed.roles == [.user])
            #expect(try await client.send(.post, "/v1/token").status == .unauthorized)
            #expect(try await client.send(.post, "/v1/token", token: token + "x").status == .unauthorized)

            // A token signed with the secret itself (HS256, what this API issued before) is refused.
            let hmac = await JWTKeyCollection().add(hmac: HMACKey(from: APIHarness.secret), digestAlgorithm: .sha256)
            let forged = try await hmac.sign(AccessToken(user: "alice", roles: [.user, .admin], issuedAt: Date(),
                                                         expiresAt: Date().addingTimeInterval(600)))
            let refused = try await client.send(.get, "/v1/channels/@alice+bob/messages", token: forged)
            #expect(refused.status == .unauthorized)
            #expect(try refused.errorCode() == "invalid_token")

            for body in [json(["name": "alice", "password": "wrong-password"]),
                         json(["name": "nobody", "password": "password-nobody"]),
                         json(["name": "bad name!", "password": "password-x"])] {
                let response = try await client.send(.post, "/v1/login", body: body)
                #expect(response.status == .unauthorized)
                #expect(try response.errorCode() == "invalid_credentials")
            }
            // A name only seen in chat has no password and cannot log in until registered.
            try await h.store.insert(messages: [ChatMessage(channel: "general", author: "zed", data: "hi")])
            let unregistered = try await client.send(.post, "/v1/login", body: json(["name": "zed", "password": "whatever1"]))
            #expect(unregistered.status == .unauthorized)
            _ = try await client.token(for: "zed")  // claiming the name works once
        }
    }

    private static func texts(_ response: TestResponse) throws -> [String] {
        try #require(try response.object()["messages"] as? [[String: Any]]).compactMap { $0["data"] as? String }
    }

    @Test func claimingANameThatChattedUnregisteredDoesNotOpenItsPastDMs() async throws {
        let h = try APIHarness()
        try await h.run { client in
            // carol and dave chatted on a hub without authentication; only dave ever registered.
            let dave = try await client.token(for: "dave")
            try await h.store.insert(messages: [
                ChatMessage(channel: "@carol+dave", author: "dave", data: "carol, the door code is 4711"),
                ChatMessage(channel: "@carol+dave", author: "carol", data: "thanks"),
            ])
            let before = try await client.send(.get, "/v1/channels/@carol+dave/messages", token: dave)
            #expect(try Self.texts(before).count == 2, "dave sees their conversation")
            try await Task.sleep(for: .milliseconds(20))
            // Someone else registers the name carol now: none of the conversation before that.
            let claimer = try await client.token(for: "carol")
            #expect(try await h.store.user(named: "carol")?.claimedAt != nil)
            #expect(try await h.store.user(named: "dave")?.claimedAt == nil, "a plain registration is no claim")
            let past = try await client.send(.get, "/v1/channels/@carol+dave/messages", token: claimer)
            #expect(past.status == .ok)
            #expect(try Self.texts(past).isEmpty, "the claimed name's past DMs stay closed")
            try await Task.sleep(for: .milliseconds(20))
            try await h.store.insert(messages: [ChatMessage(channel: "@carol+dave", author: "dave", data: "hello new carol")])
            let now = try await client.send(.get, "/v1/channels/@carol+dave/messages", token: claimer)
            #expect(try Self.texts(now) == ["hello new carol"])
            let still = try await client.send(.get, "/v1/channels/@carol+dave/messages", token: dave)
            #expect(try Self.texts(still).count == 3, "dave still sees all of it")
        }
    }

    @Test func authFailures() async throws {
        let h = try APIHarness()
        let expired = try await TokenAuthority(secret: Array(APIHarness.secret.utf8), lifetime: .seconds(60))
            .issue(for: "alice", now: Date().addingTimeInterval(-3600)).token
        let foreign = try await TokenAuthority(secret: Array("another-secret-that-is-long-enough!!".utf8),
                                               lifetime: .seconds(60)).issue(for: "alice").token
        let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
            + Data(#"{"sub":"alice","iss":"kchat","exp":9999999999,"iat":1}"#.utf8).base64URLEncodedString() + "."
        try await h.run { client in
            _ = try await client.token(for: "alice")
            let post = "/v1/channels"
            let body = json(["name": "x"])
            let missing = try await client.send(.post, post, body: body)
            #expect(missing.status == .unauthorized)
            #expect(try missing.errorCode() == "missing_token")
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)

            let cases: [(HTTPFields, String)] = [
                ([.authorization: "Bearer \(expired)"], "token_expired"),
                ([.authorization: "Bearer \(foreign)"], "invalid_token"),
                ([.authorization: "Bearer \(unsigned)"], "invalid_token"),
                ([.authorization: "Bearer not.a.jwt"], "invalid_token"),
                ([.authorization: "Basic YWxpY2U6cHc="], "invalid_token"),
                ([.authorization: "Bearer"], "invalid_token"),
            ]
            for (headers, code) in cases {
                let response = try await client.send(.post, post, body: body, headers: headers)
                #expect(response.status == .unauthorized, "\(headers)")
                #expect(try response.errorCode() == code, "\(headers)")
            }
            #expect(try await h.store.channels().isEmpty)
        }
    }

    @Test func listUsersShowsBlockAndWarnings() async throws {
        let h = try APIHarness()
        try await h.store.apply(controlEvents: [
            .warning(user: "bob", warnings: 1, limit: 3, messageId: "m1"),
            .warning(user: "bob", warnings: 2, limit: 3, messageId: "m2"),
            .blocked(user: "bob", warnings: 3, limit: 3),
        ])
        try await h.run { client in
            _ = try await client.token(for: "alice")
            let response = try await client.send(.get, "/v1/users")
            #expect(response.status == .ok)
            let users = try #require(try response.object()["users"] as? [[String: Any]])
            #expect(users.map { $0["name"] as? String } == ["alice", "bob"])
            #expect(users[1]["blocked"] as? Bool == true)
            #expect(users[1]["warnings"] as? Int == 2)
            #expect(users[1]["registered"] as? Bool == false)
            #expect(users[0]["blocked"] as? Bool == false)
            #expect(users[0]["warnings"] as? Int == 0)
        }
    }

    @Test func configurationRefusesWeakOrMissingSecrets() throws {
        #expect(throws: APIConfiguration.ConfigurationError.secretTooShort(bytes: 5)) {
            try APIConfiguration(jwtSecret: "short")
        }
        #expect(throws: APIConfiguration.ConfigurationError.missingSecret(variable: "KCHAT_JWT_SECRET")) {
            try APIConfiguration.fromEnvironment([:])
        }
        let config = try APIConfiguration.fromEnvironment(["KCHAT_JWT_SECRET": APIHarness.secret,
                                                           "KCHAT_HTTP": "0.0.0.0:9090", "KCHAT_ADMINS": "root, ops"])
        #expect(config.host == "0.0.0.0" && config.port == 9090)
        #expect(config.admins == ["root", "ops"])
        #expect(throws: APIConfiguration.ConfigurationError.self) {
            try APIConfiguration.fromEnvironment(["KCHAT_JWT_SECRET": APIHarness.secret, "KCHAT_HTTP": "nope"])
        }
    }
}

extension Data {
    init?(base64URL: String) {
        var s = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        self.init(base64Encoded: s)
    }

    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
