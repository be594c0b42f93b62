import ChatAPI
import ChatModel
import ChatStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Records what the API publishes; can be told to fail.
actor RecordingPublisher: MessagePublisher {
    private(set) var published: [ChatMessage] = []
    /// The token each message was signed with (its `kchat-token` header).
    private(set) var tokens: [String] = []
    var failing = false

    func publish(_ message: ChatMessage, token: String) async throws {
        if failing { throw CancellationError() }
        published.append(message)
        tokens.append(token)
    }

    func setFailing(_ value: Bool) { failing = value }
}

/// An API over an in-memory SQLite store and a recording publisher.
struct APIHarness {
    static let secret = "test-secret-0123456789-abcdefghijklmnop"

    let store: SQLChatStore
    let publisher = RecordingPublisher()
    let config: APIConfiguration

    init(admins: Set<String> = [], requireAuthForReads: Bool = false) throws {
        store = try SQLChatStore.inMemory()
        var config = try APIConfiguration(jwtSecret: Self.secret, bcryptCost: 4,
                                          requireAuthForReads: requireAuthForReads, admins: admins)
        config.logger.logLevel = .critical  // the failure paths log on purpose
        self.config = config
    }

    func run(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(config, store: store, publisher: publisher)
        try await app.test(.router) { client in try await test(client) }
    }
}

extension TestClientProtocol {
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Registers `name` (password "password-\(name)") and returns a login token.
    func token(for name: String) async throws -> String {
        let password = "password-\(name)"
        let created = try await send(.post, "/v1/users", body: json(["name": name, "password": password]))
        #expect(created.status == .created)
        let login = try await send(.post, "/v1/login", body: json(["name": name, "password": password]))
        #expect(login.status == .ok)
        return try #require(try login.object()["token"] as? String)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// `error.code` of an error body (and checks the body has the error shape).
    func errorCode() throws -> String {
        let error = try #require(try object()["error"] as? [String: Any], "no error object in \(text)")
        #expect(error["message"] is String)
        return try #require(error["code"] as? String)
    }
}

func json(_ object: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}
