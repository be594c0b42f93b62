import ChatAPIModels
import ChatModel
import ChatStore
import Foundation
import Hummingbird

extension APIHandlers {
    /// `GET /v1/channels` -> `{channels: [...]}` (public channels; direct ones are implicit).
    func listChannels(_ request: Request) async throws -> Response {
        if config.requireAuthForReads { _ = try await authenticatedUser(request) }
        let channels = try await store.channels()
        return try JSONBody.response(ChannelsJSON(channels: channels.map(ChannelJSON.init)))
    }

    /// `POST /v1/channels {name}` (auth) -> 201 channel; 400 `invalid_channel`; 409 `channel_exists`.
    func createChannel(_ request: Request) async throws -> Response {
        let user = try await authenticatedUser(request)
        let body = try await JSONBody.decode(CreateChannelBody.self, from: request, limit: config.maxBodyBytes)
        let name = ChannelName.normalize(body.name)
        if ChannelName.isDirect(name) {
            throw APIError.badRequest("invalid_channel",
                                      "direct channels (@a+b) exist implicitly; post to them instead of creating them")
        }
        do {
            try ChannelName.validate(name)
        } catch {
            throw APIError(model: error)
        }
        guard let channel = try await store.createChannel(name: name, createdBy: user, at: Date()) else {
            throw APIError.conflict("channel_exists", "channel '\(name)' already exists")
        }
        return try JSONBody.response(ChannelJSON(channel), status: .created)
    }

    /// `DELETE /v1/channels/{channel}` (auth) -> 204; deletes the channel and its history.
    /// Allowed to its creator and to admins (and to anyone for channels without a creator).
    func deleteChannel(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let user = try await authenticatedUser(request)
        let name = try channelParameter(context)
        if ChannelName.isDirect(name) {
            throw APIError.badRequest("invalid_channel", "direct channels cannot be deleted")
        }
        guard let channel = try await store.channel(named: name) else {
            throw APIError.notFound("channel_not_found", "there is no channel '\(name)'")
        }
        if let owner = channel.createdBy, owner != user, !config.admins.contains(user) {
            throw APIError.forbidden("not_channel_owner", "only \(owner) (or an admin) can delete '\(name)'")
        }
        guard try await store.deleteChannel(name: name) else {
            throw APIError.notFound("channel_not_found", "there is no channel '\(name)'")
        }
        return Response(status: .noContent)
    }
}
