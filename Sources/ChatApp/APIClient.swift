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
        guard let url = URL(string: baseURL + "/healthz") else { return false }
        let deadline = ContinuousClock.now + within
        repeat {
            var request = URLRequest(url: url)
            request.timeoutInterval = 2
            if (try? await URLSession.shared.data(for: request))?.1 is HTTPURLResponse { return true }
            if ContinuousClock.now >= deadline { break }
            try? await Task.sleep(for: .milliseconds(250))
        } while ContinuousClock.now < deadline
        return false
    }

    private func get(_ path: String) async throws -> Data {
        guard let url = URL(string: baseURL + path) else { throw APIClientError("bad API address \(baseURL)") }
        var request = URLRequest(url: url)
        request.timeoutInterval = 5
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw APIClientError("no HTTP response from \(url)") }
        guard http.statusCode == 200 else {
            throw APIClientError("\(url) answered \(http.statusCode): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        return data
    }
}

public struct APIClientError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
