import ChatAPIModels
import ChatModel
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small client of kchat's REST API, for `kchat stats` and the chat's `/users` and `/stats`.
public struct APIClient: Sendable {
    public var baseURL: String

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// A user as the chat shows it (from the API's `UserJSON`).
    public struct UserSummary: Sendable {
        public var name: String
        public var blocked: Bool?
        public var warnings: Int?
    }

    public func stats() async throws -> ChatStats {
        try JSONDecoder().decode(ChatStats.self, from: try await get("/v1/stats"))
    }

    public func users() async throws -> [UserSummary] {
        try JSONDecoder().decode(UsersJSON.self, from: try await get("/v1/users")).users.map {
            UserSummary(name: $0.name, blocked: $0.blocked, warnings: $0.warnings)
        }
    }

    /// A page of a public channel's history, oldest first (the API answers newest first).
    public func history(channel: String, before: String?, limit: Int = 50) async throws -> [ChatMessage] {
        var path = "/v1/channels/\(channel.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? channel)/messages?limit=\(limit)"
        if let before { path += "&before=\(before.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? before)" }
        let page = try JSONDecoder().decode(HistoryJSON.self, from: try await get(path))
        return page.messages.reversed().compactMap { m in
            Timestamp.parse(m.timestamp).map { ChatMessage(id: m.id, channel: m.channel, author: m.author, data: m.data, timestamp: $0) }
        }
    }

    /// Whether the API answers `GET /healthz` (any HTTP status) within `within`, asking every 250 ms.
    public func answers(within: Duration) async -> Bool {
        let deadline = ContinuousClock.now + within
        repeat {
            if (try? await exchange("GET", "/healthz", timeout: .seconds(2))) != nil { return true }
            if ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(250))
        } while ContinuousClock.now < deadline
        return false
    }

    private func get(_ path: String) async throws -> Data {
        let (status, data) = try await exchange("GET", path, timeout: .seconds(5))
        guard status == 200 else {
            throw APIClientError("\(baseURL + path) answered \(status): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        return data
    }

    /// One request: `http://` through `PlainHTTPClient` (no libdispatch worker threads left
    /// behind), anything else through URLSession. Answers the status and the body.
    func exchange(_ method: String, _ path: String, headers: [(String, String)] = [], body: Data? = nil,
                  timeout: Duration) async throws -> (Int, Data) {
        guard let url = URL(string: baseURL + path) else { throw APIClientError("bad API address \(baseURL)") }
        if url.scheme == "http" {
            let response = try await PlainHTTPClient(timeout: timeout).request(method, url, headers: headers, body: body)
            return (response.status, response.body)
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = Double(timeout.components.seconds)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw APIClientError("no HTTP response from \(url)") }
        return (http.statusCode, data)
    }
}

public struct APIClientError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
