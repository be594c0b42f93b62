import ChatAPIModels
import ChatModel
import ChatStore
import Foundation
import Hummingbird

extension APIHandlers {
    /// `POST /v1/channels/{channel}/messages {data[, id]}` (auth; author = token subject)
    /// -> 202 `{id, channel, author, timestamp, status}` once the publisher accepted it.
    /// 403 `user_blocked` / `not_a_participant`; 404 `channel_not_found`; 400 invalid input;
    /// 413 `message_too_large` (over 4096 bytes of text); 503 `publish_failed`.
    func postMessage(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let (token, claims) = try await authenticatedToken(request)
        let user = claims.sub.value
        let channel = try channelParameter(context)
        try await checkAccess(to: channel, request: request, requireAuth: true)
        if try await store.user(named: user)?.blocked == true {
            throw APIError.forbidden("user_blocked", "\(user) is blocked and cannot send messages")
        }
        let body = try await JSONBody.decode(PostMessageBody.self, from: request, limit: config.maxBodyBytes)
        let message = ChatMessage(id: body.id ?? ChatMessage.newID(), channel: channel, author: user,
                                  data: body.data, timestamp: Date())
        do {
            try message.validate()
        } catch {
            throw APIError(model: error)
        }
        do {
            try await publisher.publish(message, token: token)
            metrics.published(ok: true)
        } catch {
            metrics.published(ok: false)
            config.logger.warning("publish failed", metadata: ["id": "\(message.id)", "error": "\(error)"])
            throw APIError(.serviceUnavailable, "publish_failed", "the message could not be sent; try again")
        }
        let accepted = AcceptedJSON(id: message.id, channel: channel, author: user,
                                    timestamp: Timestamp.format(message.timestamp))
        return try JSONBody.response(accepted, status: .accepted)
    }

    /// `GET /v1/channels/{channel}/messages?before=<id>&limit=10` -> newest first.
    /// `limit` 1...100 (default 10), else 400 `invalid_limit`; unknown `before` -> 400 `invalid_cursor`.
    func history(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let channel = try channelParameter(context)
        let query = request.uri.queryParameters
        var limit = HistoryPage.defaultLimit
        if let raw = query["limit"] {
            guard let n = Int(raw), (1...HistoryPage.maxLimit).contains(n) else {  // safe: failable parse of text
                throw APIError.badRequest("invalid_limit", "limit must be an integer from 1 to \(HistoryPage.maxLimit)")
            }
            limit = n
        }
        let before = query["before"].map(String.init)
        if let before, before.isEmpty || before.utf8.count > ChatMessage.maxIDLength {
            throw APIError.badRequest("invalid_cursor", "before must be a message id")
        }
        let reader = try await checkAccess(to: channel, request: request, requireAuth: config.requireAuthForReads)
        let page = try await store.history(channel: channel, before: before, limit: limit)
        var messages = page.messages
        var nextBefore = page.nextBefore
        // A name that chatted before anyone registered it (a hub without authentication) can be
        // claimed, but not its past: its DMs are served from the claim on.
        if ChannelName.isDirect(channel), let reader, let since = try await store.user(named: reader)?.claimedAt {
            messages.removeAll { $0.message.timestamp < since }
            if messages.count < page.messages.count { nextBefore = nil }  // what is older predates the claim
        }
        return try JSONBody.response(HistoryJSON(channel: channel, messages: messages.map(MessageJSON.init),
                                                 nextBefore: nextBefore))
    }
}
