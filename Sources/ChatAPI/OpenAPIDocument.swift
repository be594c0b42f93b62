/// The OpenAPI 3.1 description of the API, served at `GET /openapi.json` (hand-written; a
/// test checks that it parses and names every route).
public let openAPIDocument: String = openAPIInfo + openAPIPaths + "," + openAPIComponents + "}"

private let openAPIInfo = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "kchat REST API",
    "version": "1.0.0",
    "description": "History, users, channels and statistics of kchat. Messages posted here are published to Kafka and appear in history once moderated and stored. Errors are always {\"error\":{\"code\",\"message\"}}."
  },
  "servers": [{"url": "/"}],
"""#

private let openAPIPaths = #"""
  "paths": {
    "/v1/users": {
      "get": {
        "operationId": "listUsers", "summary": "Every known user with block flag and warning counts",
        "responses": {
          "200": {"description": "Users sorted by name", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserList"}}}}
        }
      },
      "post": {
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
    },
    "/v1/token": {
      "post": {
        "operationId": "refreshToken", "summary": "A new token for the bearer token's user and roles, valid for the full lifetime from now",
        "security": [{"bearerAuth": []}],
        "responses": {
          "200": {"description": "Access token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/v1/login": {
      "post": {
        "operationId": "login", "summary": "Exchange name and password for a JWT (EdDSA, sub = user name, roles; public key at /.well-known/jwks.json)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credentials"}}}},
        "responses": {
          "200": {"description": "Access token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "429": {"$ref": "#/components/responses/TooManyAttempts"}
        }
      }
    },
    "/v1/channels": {
      "get": {
        "operationId": "listChannels", "summary": "Public channels (direct channels are implicit)",
        "responses": {
          "200": {"description": "Channels sorted by name", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChannelList"}}}}
        }
      },
      "post": {
        "operationId": "createChannel", "summary": "Create a public channel", "security": [{"bearerAuth": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateChannel"}}}},
        "responses": {
          "201": {"description": "Created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Channel"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/v1/channels/{channel}": {
      "delete": {
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
    },
    "/v1/channels/{channel}/messages": {
      "get": {
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
      },
      "post": {
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
    },
    "/v1/stats": {
      "get": {
        "operationId": "stats", "summary": "Messages per user and channel, warnings, blocks, busiest hours, who talks to whom",
        "parameters": [{"name": "top", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}],
        "responses": {
          "200": {"description": "Statistics", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Stats"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/healthz": {
      "get": {
        "operationId": "health", "summary": "Liveness and database check",
        "responses": {
          "200": {"description": "Healthy", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}}}},
          "503": {"$ref": "#/components/responses/Unavailable"}
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics", "summary": "Prometheus metrics",
        "responses": {"200": {"description": "Prometheus text format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}}
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openAPI", "summary": "This document",
        "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    },
    "/.well-known/jwks.json": {
      "get": {
        "operationId": "jwks", "summary": "The public key that checks access tokens (EdDSA, Ed25519), as a JSON Web Key Set",
        "responses": {"200": {"description": "RFC 7517 key set with one OKP key", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    }
  }
"""#
