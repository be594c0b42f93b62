import ChatAPI
import ChatModel
import ChatStore
import Dispatch
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import NIOCore
import NIOEmbedded
import Synchronization

/// Target `api`: one HTTP request through the whole ChatAPI router (`buildRouter`, the same
/// middleware and routes as `buildApplication`, without the socket) over a fresh in-memory
/// SQLite store per input that holds users alice, bob and admin and channels general and random.
/// Input: `METHOD URI\nAUTH\nBODY`. AUTH is empty (no header), `alice`, `bob` or `admin` (a valid
/// bearer token for that user), or any other value (sent as the Authorization header). URI bytes
/// outside visible ASCII are percent-encoded (an HTTP parser would refuse them before the
/// router). The async router is driven from the synchronous fuzz callback by a detached task
/// and a semaphore. Check: no 5xx answer (hostile input must get a 4xx JSON error).
enum APIFuzz {
    static let secret = "fuzz-secret-0123456789-abcdefghijklmnop"
    static let passwordHash = Bcrypt.hash("password-fuzz", cost: 4)
    static let now = Date(timeIntervalSince1970: 1_795_371_584)

    /// Valid tokens, made once through POST /v1/login.
    static let tokens: [String: String] = {
        var tokens: [String: String] = [:]
        for user in ["alice", "bob", "admin"] {
            let body = Array("{\"name\":\"\(user)\",\"password\":\"password-fuzz\"}".utf8)
            let (status, answer) = request(method: .post, uri: "/v1/login", authorization: nil, body: body)
            guard status == .ok,
                  let object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any],
                  let token = object["token"] as? String else {
                fatalError("harness setup: login of \(user) answered \(status) \(String(decoding: answer, as: UTF8.self))")
            }
            tokens[user] = token
        }
        return tokens
    }()

    struct DiscardingPublisher: MessagePublisher {
        func publish(_ message: ChatMessage, token: String) async throws {}
    }

    /// The response as it is written (by the router's task), read once that task is done.
    final class Collected: Sendable {
        struct Parts {
            var body: [UInt8] = []
            var result: Result<(HTTPResponse.Status, [UInt8]), any Error>?
        }

        let parts = Mutex(Parts())
    }

    struct Collector: ResponseBodyWriter {
        let into: Collected
        mutating func write(_ buffer: ByteBuffer) async throws { into.parts.withLock { $0.body += buffer.readableBytesView } }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    static func run(_ bytes: [UInt8]) {
        let lines = bytes.pieces(separatedBy: UInt8(ascii: "\n"), limit: 3)
        let requestLine = lines[0].pieces(separatedBy: UInt8(ascii: " "), limit: 2)
        let method = HTTPRequest.Method(String(decoding: requestLine[0], as: UTF8.self)) ?? .get
        let uri = percentEncoded(requestLine.count > 1 ? requestLine[1] : [])
        let auth = lines.count > 1 ? String(decoding: lines[1], as: UTF8.self) : ""
        let authorization = auth.isEmpty ? nil : tokens[auth].map { "Bearer \($0)" } ?? auth
        let body = lines.count > 2 ? lines[2] : []
        let (status, answer) = request(method: method, uri: uri, authorization: authorization, body: body)
        invariant(status.code < 500, "\(method) \(uri) answered \(status.code): \(String(decoding: answer, as: UTF8.self))")
    }

    static func percentEncoded(_ bytes: [UInt8]) -> String {
        var out = ""
        for byte in bytes {
            if (0x21...0x7E).contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out.hasPrefix("/") ? out : "/" + out
    }

    static func request(method: HTTPRequest.Method, uri: String, authorization: String?,
                        body: [UInt8]) -> (HTTPResponse.Status, [UInt8]) {
        let collected = Collected()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                let answer = try await respond(method: method, uri: uri, authorization: authorization,
                                               body: body, into: collected)
                collected.parts.withLock { $0.result = .success(answer) }
            } catch {
                collected.parts.withLock { $0.result = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        switch collected.parts.withLock({ $0.result }) {
        case nil: fatalError("harness: the router's task ended without an answer for \(method) \(uri)")
        case .success(let answer): return answer
        case .failure(let error): fatalError("harness: the router threw \(error) for \(method) \(uri)")
        }
    }

    static func respond(method: HTTPRequest.Method, uri: String, authorization: String?, body: [UInt8],
                        into collected: Collected) async throws -> (HTTPResponse.Status, [UInt8]) {
        let store = try SQLChatStore.inMemory()
        for user in ["alice", "bob", "admin"] {
            _ = try await store.createUser(name: user, passwordHash: passwordHash, at: now)
        }
        for channel in ["general", "random"] {
            _ = try await store.createChannel(name: channel, createdBy: "alice", at: now)
        }
        _ = try await store.insert(messages: [
            ChatMessage(id: "m1", channel: "general", author: "alice", data: "hello", timestamp: now),
            ChatMessage(id: "m2", channel: "@alice+bob", author: "bob", data: "psst", timestamp: now),
        ])
        var config = try APIConfiguration(jwtSecret: secret, bcryptCost: 4, admins: ["admin"])
        config.logger.logLevel = .critical
        let responder = buildRouter(config, store: store, publisher: DiscardingPublisher()).buildResponder()
        var headers: HTTPFields = [.contentType: "application/json", .contentLength: "\(body.count)"]
        if let authorization { headers[.authorization] = authorization }
        let request = Request(head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri,
                                                headerFields: headers),
                              body: RequestBody(buffer: ByteBuffer(bytes: body)))
        let context = APIRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: config.logger))
        let response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            // What Hummingbird's server does with an error no middleware turned into a response.
            return (error.status, [])
        }
        try await response.body.write(Collector(into: collected))
        return (response.status, collected.parts.withLock { $0.body })
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
