import ChatAPIModels
import ChatStore
import Foundation
import Hummingbird

extension APIHandlers {
    /// `GET /v1/stats?top=20` -> `ChatStats` as JSON; `top` 1...100. Who writes to whom in
    /// private (`directPairs`, direct channels in `messagesPerChannel`) is shown to admins only.
    func stats(_ request: Request) async throws -> Response {
        let user = config.requireAuthForReads || request.headers[.authorization] != nil
            ? try await authenticatedUser(request) : nil
        var top = ChatStats.defaultTop
        if let raw = request.uri.queryParameters["top"] {
            guard let n = Int(raw), (1...100).contains(n) else {  // safe: failable parse of text
                throw APIError.badRequest("invalid_top", "top must be an integer from 1 to 100")
            }
            top = n
        }
        let stats = try await store.stats(top: top)
        let isAdmin = user.map { config.admins.contains($0) } ?? false
        return try JSONBody.response(isAdmin ? stats : stats.withoutDirectChannels())
    }

    /// `GET /healthz` -> 200 `{status: ok}`, or 503 `store_unavailable` when the database does
    /// not answer.
    func health() async throws -> Response {
        do {
            try await store.ping()
        } catch {
            config.logger.warning("health check failed", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "store_unavailable", "the database does not answer")
        }
        return try JSONBody.response(StatusJSON(status: "ok"))
    }

    /// `GET /metrics` -> Prometheus text format.
    func metricsText() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }
}
