// Components of `openAPIDocument`: schemas, shared parameters, error responses, security.
let openAPIComponents = #"""
  "components": {
    "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
    "parameters": {
      "Channel": {"name": "channel", "in": "path", "required": true,
                  "description": "Public channel name (a-z 0-9 . _ -, at most 64; upper case is folded) or a direct channel @user1+user2 between two different users (either order; percent-encoding accepted)",
                  "schema": {"type": "string", "pattern": "^(#?[A-Za-z0-9._-]{1,64}|@[A-Za-z0-9._-]{1,32}[+][A-Za-z0-9._-]{1,32})$"}}
    },
    "responses": {
      "BadRequest": {"description": "Invalid input (codes: malformed_json, missing_field, invalid_field, invalid_name, invalid_password, invalid_channel, empty_message, invalid_limit, invalid_cursor, invalid_top)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unauthorized": {"description": "Missing, invalid or expired token, or wrong credentials (codes: missing_token, invalid_token, token_expired, invalid_credentials)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Forbidden": {"description": "Not allowed (codes: user_blocked, not_a_participant, not_channel_owner)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "No such channel (code: channel_not_found)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Conflict": {"description": "Already exists (codes: user_exists, channel_exists)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "TooManyAttempts": {"description": "Too many login or registration attempts from this address (code: too_many_attempts); Retry-After says when to try again", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "TooLarge": {"description": "Message text over 4096 bytes (message_too_large) or request body too large (request_too_large)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "MethodNotAllowed": {"description": "The path exists but not with this method (code: method_not_allowed); the Allow header lists the methods", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unavailable": {"description": "Kafka or the database is unavailable (codes: publish_failed, store_unavailable)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
      "Credentials": {"type": "object", "required": ["name", "password"], "properties": {
        "name": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,32}$"},
        "password": {"type": "string", "minLength": 8, "maxLength": 72, "description": "at least 8 characters, at most 72 bytes of UTF-8 (bcrypt's limit)"}}},
      "Token": {"type": "object", "required": ["token", "tokenType", "expiresAt"], "properties": {
        "token": {"type": "string"}, "tokenType": {"const": "Bearer"}, "expiresAt": {"type": "string", "format": "date-time"}}},
      "User": {"type": "object", "required": ["name", "registered", "blocked", "warnings", "totalWarnings", "createdAt"], "properties": {
        "name": {"type": "string"},
        "registered": {"type": "boolean", "description": "false for users only seen in chat"},
        "blocked": {"type": "boolean"},
        "warnings": {"type": "integer", "description": "warnings since the last unblock"},
        "totalWarnings": {"type": "integer"},
        "createdAt": {"type": "string", "format": "date-time"}}},
      "UserList": {"type": "object", "required": ["users"], "properties": {"users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}},
      "CreateChannel": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "pattern": "^#?[A-Za-z0-9._-]{1,64}$"}}},
      "Channel": {"type": "object", "required": ["name", "createdAt", "messageCount"], "properties": {
        "name": {"type": "string"}, "createdAt": {"type": "string", "format": "date-time"},
        "createdBy": {"type": "string"}, "messageCount": {"type": "integer"},
        "lastMessageAt": {"type": "string", "format": "date-time"}}},
      "ChannelList": {"type": "object", "required": ["channels"], "properties": {"channels": {"type": "array", "items": {"$ref": "#/components/schemas/Channel"}}}},
      "PostMessage": {"type": "object", "required": ["data"], "properties": {
        "data": {"type": "string", "minLength": 1, "pattern": "\\S", "description": "1 to 4096 bytes of UTF-8, not only whitespace (over 4096 bytes: 413)"},
        "id": {"type": "string", "minLength": 1, "maxLength": 128, "description": "optional client id; retries with the same id are stored once"}}},
      "Accepted": {"type": "object", "required": ["id", "channel", "author", "timestamp", "status"], "properties": {
        "id": {"type": "string"}, "channel": {"type": "string"}, "author": {"type": "string"},
        "timestamp": {"type": "string", "format": "date-time"}, "status": {"const": "accepted"}}},
      "Message": {"type": "object", "required": ["id", "channel", "author", "data", "timestamp"], "properties": {
        "id": {"type": "string"}, "channel": {"type": "string"}, "author": {"type": "string"},
        "data": {"type": "string", "description": "as stored after moderation"},
        "timestamp": {"type": "string", "format": "date-time"},
        "masked": {"type": "integer", "description": "characters masked by the moderator, when it changed the text"}}},
      "History": {"type": "object", "required": ["channel", "messages"], "properties": {
        "channel": {"type": "string"},
        "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}, "description": "newest first"},
        "nextBefore": {"type": "string", "description": "cursor for the next older page; absent on the last page"}}},
      "NameCount": {"type": "object", "required": ["name", "count"], "properties": {"name": {"type": "string"}, "count": {"type": "integer"}}},
      "HourCount": {"type": "object", "required": ["hour", "count"], "properties": {"hour": {"type": "integer", "minimum": 0, "maximum": 23}, "count": {"type": "integer"}}},
      "PairCount": {"type": "object", "required": ["a", "b", "count"], "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "count": {"type": "integer"}}},
      "Stats": {"type": "object", "required": ["totals", "messagesPerUser", "messagesPerChannel", "warningsPerUser", "blockedUsers", "activeHours", "directPairs", "sharedChannels"], "properties": {
        "totals": {"type": "object", "required": ["messages", "users", "channels", "warnings", "blocks", "blockedUsers", "rejected"], "properties": {
          "messages": {"type": "integer"}, "users": {"type": "integer"}, "channels": {"type": "integer"},
          "warnings": {"type": "integer"}, "blocks": {"type": "integer", "description": "blocked events"},
          "blockedUsers": {"type": "integer", "description": "users blocked now"}, "rejected": {"type": "integer"}}},
        "messagesPerUser": {"type": "array", "items": {"$ref": "#/components/schemas/NameCount"}},
        "messagesPerChannel": {"type": "array", "items": {"$ref": "#/components/schemas/NameCount"}},
        "warningsPerUser": {"type": "array", "items": {"$ref": "#/components/schemas/NameCount"}},
        "blockedUsers": {"type": "array", "items": {"type": "string"}},
        "activeHours": {"type": "array", "items": {"$ref": "#/components/schemas/HourCount"}, "description": "UTC hours, busiest first"},
        "directPairs": {"type": "array", "items": {"$ref": "#/components/schemas/PairCount"}, "description": "messages exchanged in direct channels"},
        "sharedChannels": {"type": "array", "items": {"$ref": "#/components/schemas/PairCount"}, "description": "public channels both users posted in"}}}
    }
  }
"""#
