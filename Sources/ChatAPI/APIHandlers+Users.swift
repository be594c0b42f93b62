import ChatAPIModels
import ChatModel
import ChatStore
import Foundation
import Hummingbird

extension APIHandlers {
    /// `POST /v1/users {name, password}` -> 201 user; 400 `invalid_name`/`invalid_password`;
    /// 409 `user_exists`. A name seen in chat but never registered can be registered once.
    func createUser(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(CredentialsBody.self, from: request, limit: config.maxBodyBytes)
        do {
            try UserName.validate(body.name, field: "name")
        } catch {
            throw APIError.badRequest("invalid_name", error.message)
        }
        try PasswordHasher.validate(password: body.password)
        let hash = try await passwords.hash(body.password)
        guard try await store.createUser(name: body.name, passwordHash: hash, at: Date()) else {
            throw APIError.conflict("user_exists", "the name '\(body.name)' is already registered")
        }
        guard let user = try await store.user(named: body.name) else {
            throw APIError(.internalServerError, "internal_error", "the new user could not be read back")
        }
        return try JSONBody.response(UserJSON(user), status: .created)
    }

    /// `POST /v1/login {name, password}` -> 200 `{token, tokenType, expiresAt}`;
    /// 401 `invalid_credentials` for an unknown name or a wrong password alike.
    func login(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(CredentialsBody.self, from: request, limit: config.maxBodyBytes)
        let user = UserName.isValid(body.name) ? try await store.user(named: body.name) : nil
        guard try await passwords.verify(body.password, hash: user?.passwordHash) else {
            throw APIError.unauthorized("invalid_credentials", "wrong user name or password")
        }
        let roles: [AccessToken.Role] = config.admins.contains(body.name) ? [.user, .admin] : [.user]
        let (token, expiresAt) = try await tokens.issue(for: body.name, roles: roles)
        return try JSONBody.response(TokenJSON(token: token, expiresAt: Timestamp.format(expiresAt)))
    }

    /// `POST /v1/token` with a valid bearer token -> a new token for the same user and roles,
    /// valid for the full lifetime from now (a client keeps its session without the password).
    func refreshToken(_ request: Request) async throws -> Response {
        let claims = try await authenticatedClaims(request)
        let (token, expiresAt) = try await tokens.issue(for: claims.sub.value, roles: claims.roles)
        return try JSONBody.response(TokenJSON(token: token, expiresAt: Timestamp.format(expiresAt)))
    }

    /// `GET /v1/users` -> `{users: [...]}` with registration, block flag and warning counts.
    func listUsers(_ request: Request) async throws -> Response {
        if config.requireAuthForReads { _ = try await authenticatedUser(request) }
        let users = try await store.users()
        return try JSONBody.response(UsersJSON(users: users.map(UserJSON.init)))
    }
}
