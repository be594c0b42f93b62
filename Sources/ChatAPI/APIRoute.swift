import Foundation
import Hummingbird

/// One route of the API: its method and path (Hummingbird pattern, `:name` for a segment),
/// its OpenAPI operation and its handler. `APIRoute.all` is the one list the router, the 405
/// `Allow` lists (`RouteTable`) and `openAPIDocument` are all made from.
struct APIRoute: Sendable {
    let method: HTTPRequest.Method
    let path: String
    /// The OpenAPI 3.1 operation object (JSON) for `method` on `path`.
    let openAPI: String
    let handle: @Sendable (APIHandlers, Request, APIRequestContext) async throws -> Response

    init(_ method: HTTPRequest.Method, _ path: String, openAPI: String,
         handle: @escaping @Sendable (APIHandlers, Request, APIRequestContext) async throws -> Response) {
        self.method = method
        self.path = path
        self.openAPI = openAPI
        self.handle = handle
    }

    /// The path as OpenAPI writes it: `:channel` -> `{channel}`.
    var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }

    /// Every route, in the order of the OpenAPI document.
    static let all: [APIRoute] = [
        APIRoute(.get, "/v1/users", openAPI: #"""
        {
          "operationId": "listUsers", "summary": "Every known user with block flag and warning counts",
          "responses": {
            "200": {"description": "Users sorted by name", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserList"}}}}
          }
        }
        """#) { h, request, _ in try await h.listUsers(request) },
        APIRoute(.post, "/v1/users", openAPI: #"""
        {
          "operationId": "createUser", "summary": "Register a user (bcrypt-hashed password)",
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}},
          "responses": {
            "201": {"description": "Registered", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "409": {"$ref": "#/components/responses/Conflict"},
            "413": {"$ref": "#/components/responses/TooLarge"},
            "429": {"$ref": "#/components/responses/TooManyAttempts"}
          }
        }
        """#) { h, request, context in
            try h.takeAuthAttempt(context)
            return try await h.createUser(request)
        },
        APIRoute(.post, "/v1/token", openAPI: #"""
        {
          "operationId": "refreshToken", "summary": "A new token for the bearer token's user and roles, valid for the full lifetime from now",
          "security": [{"bearerAuth": []}],
          "responses": {
            "200": {"description": "Access token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}
          }
        }
        """#) { h, request, _ in try await h.refreshToken(request) },
        APIRoute(.post, "/v1/login", openAPI: #"""
        {
          "operationId": "login", "summary": "Exchange name and password for a JWT (EdDSA, sub = user name, roles; public key at /.well-known/jwks.json)",
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}},
          "responses": {
            "200": {"description": "Access token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "429": {"$ref": "#/components/responses/TooManyAttempts"}
          }
        }
        """#) { h, request, context in
            try h.takeAuthAttempt(context)
            return try await h.login(request)
        },
        APIRoute(.get, "/v1/channels", openAPI: #"""
        {
          "operationId": "listChannels", "summary": "Public channels (direct channels are implicit)",
          "responses": {
            "200": {"description": "Channels sorted by name", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChannelList"}}}}
          }
        }
        """#) { h, request, _ in try await h.listChannels(request) },
        APIRoute(.post, "/v1/channels", openAPI: #"""
        {
          "operationId": "createChannel", "summary": "Create a public channel", "security": [{"bearerAuth": []}],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateChannel"}}}},
          "responses": {
            "201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Channel"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "409": {"$ref": "#/components/responses/Conflict"}
          }
        }
        """#) { h, request, _ in try await h.createChannel(request) },
        APIRoute(.delete, "/v1/channels/:channel", openAPI: #"""
        {
          "operationId": "deleteChannel", "summary": "Delete a channel and its history (its creator or an admin)",
          "security": [{"bearerAuth": []}],
          "parameters": [{"$ref": "#/components/parameters/Channel"}],
          "responses": {
            "204": {"description": "Deleted"},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
            "404": {"$ref": "#/components/responses/NotFound"}
          }
        }
        """#) { h, request, context in try await h.deleteChannel(request, context) },
        APIRoute(.get, "/v1/channels/:channel/messages", openAPI: #"""
        {
          "operationId": "listMessages", "summary": "History, newest first, paged with before=<id>",
          "description": "Direct channels (@alice+bob) need a token of one of the two participants.",
          "parameters": [
            {"$ref": "#/components/parameters/Channel"},
            {"name": "before", "in": "query", "required": false, "description": "Return messages older than this message id (nextBefore of the previous page)", "schema": {"type": "string", "minLength": 1, "maxLength": 128}},
            {"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}}
          ],
          "responses": {
            "200": {"description": "One page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/History"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
            "404": {"$ref": "#/components/responses/NotFound"}
          }
        }
        """#) { h, request, context in try await h.history(request, context) },
        APIRoute(.post, "/v1/channels/:channel/messages", openAPI: #"""
        {
          "operationId": "postMessage", "summary": "Send a message as the token's user (published to Kafka)",
          "security": [{"bearerAuth": []}],
          "parameters": [{"$ref": "#/components/parameters/Channel"}],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostMessage"}}}},
          "responses": {
            "202": {"description": "Accepted for delivery", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
            "404": {"$ref": "#/components/responses/NotFound"},
            "413": {"$ref": "#/components/responses/TooLarge"},
            "503": {"$ref": "#/components/responses/Unavailable"}
          }
        }
        """#) { h, request, context in try await h.postMessage(request, context) },
        APIRoute(.get, "/v1/stats", openAPI: #"""
        {
          "operationId": "stats", "summary": "Messages per user and channel, warnings, blocks, busiest hours, who talks to whom",
          "parameters": [{"name": "top", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}],
          "responses": {
            "200": {"description": "Statistics", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Stats"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"}
          }
        }
        """#) { h, request, _ in try await h.stats(request) },
        APIRoute(.get, "/healthz", openAPI: #"""
        {
          "operationId": "health", "summary": "Liveness and database check",
          "responses": {
            "200": {"description": "Healthy", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}}}},
            "503": {"$ref": "#/components/responses/Unavailable"}
          }
        }
        """#) { h, _, _ in try await h.health() },
        APIRoute(.get, "/metrics", openAPI: #"""
        {
          "operationId": "metrics", "summary": "Prometheus metrics",
          "responses": {"200": {"description": "Prometheus text format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}}
        }
        """#) { h, _, _ in h.metricsText() },
        APIRoute(.get, "/openapi.json", openAPI: #"""
        {
          "operationId": "openAPI", "summary": "This document",
          "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}
        }
        """#) { _, _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
        },
        APIRoute(.get, "/.well-known/jwks.json", openAPI: #"""
        {
          "operationId": "jwks", "summary": "The public key that checks access tokens (EdDSA, Ed25519), as a JSON Web Key Set",
          "responses": {"200": {"description": "RFC 7517 key set with one OKP key", "content": {"application/json": {"schema": {"type": "object"}}}}}
        }
        """#) { h, _, _ in try JSONBody.response(h.tokens.jwks()) },
    ]
}

extension APIHandlers {
    /// Adds every route of `APIRoute.all` to `router`.
    func addRoutes(to router: Router<APIRequestContext>) {
        for route in APIRoute.all {
            router.on(RouterPath(route.path), method: route.method) { request, context in
                try await route.handle(self, request, context)
            }
        }
    }
}
