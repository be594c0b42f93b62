// The JSON bodies of the REST API, shared by the server (ChatAPI) and its client (ChatApp's
// APIClient) so that both sides read and write the same shapes. Times are ISO-8601 UTC with
// milliseconds, as on the Kafka topics. `ChatStats` is the body of `GET /v1/stats`.

// Request bodies.

/// `POST /v1/users`, `POST /v1/login`.
public struct CredentialsBody: Codable, Sendable {
    public var name: String
    public var password: String

    public init(name: String, password: String) {
        self.name = name
        self.password = password
    }
}

/// `POST /v1/channels`.
public struct CreateChannelBody: Codable, Sendable {
    public var name: String

    public init(name: String) { self.name = name }
}

/// `POST /v1/channels/{channel}/messages`.
public struct PostMessageBody: Codable, Sendable {
    public var data: String
    /// Optional client-chosen id (makes retries idempotent); a new UUID otherwise.
    public var id: String?

    public init(data: String, id: String? = nil) {
        self.data = data
        self.id = id
    }
}

// Response bodies.

public struct UserJSON: Codable, Sendable, Equatable {
    public var name: String
    public var registered: Bool
    public var blocked: Bool
    public var warnings: Int
    public var totalWarnings: Int
    public var createdAt: String

    public init(name: String, registered: Bool, blocked: Bool, warnings: Int, totalWarnings: Int, createdAt: String) {
        self.name = name
        self.registered = registered
        self.blocked = blocked
        self.warnings = warnings
        self.totalWarnings = totalWarnings
        self.createdAt = createdAt
    }
}

public struct ChannelJSON: Codable, Sendable, Equatable {
    public var name: String
    public var createdAt: String
    public var createdBy: String?
    public var messageCount: Int
    public var lastMessageAt: String?

    public init(name: String, createdAt: String, createdBy: String?, messageCount: Int, lastMessageAt: String?) {
        self.name = name
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.messageCount = messageCount
        self.lastMessageAt = lastMessageAt
    }
}

public struct MessageJSON: Codable, Sendable, Equatable {
    public var id: String
    public var channel: String
    public var author: String
    public var data: String
    public var timestamp: String
    /// Characters masked by the moderator (absent when the message was not changed).
    public var masked: Int?

    public init(id: String, channel: String, author: String, data: String, timestamp: String, masked: Int?) {
        self.id = id
        self.channel = channel
        self.author = author
        self.data = data
        self.timestamp = timestamp
        self.masked = masked
    }
}

/// `GET /v1/channels/{channel}/messages`.
public struct HistoryJSON: Codable, Sendable, Equatable {
    public var channel: String
    /// Newest first.
    public var messages: [MessageJSON]
    /// Pass as `before` to get the next (older) page; absent on the last page.
    public var nextBefore: String?

    public init(channel: String, messages: [MessageJSON], nextBefore: String?) {
        self.channel = channel
        self.messages = messages
        self.nextBefore = nextBefore
    }
}

/// `POST /v1/login`, `POST /v1/token`.
public struct TokenJSON: Codable, Sendable, Equatable {
    public var token: String
    public var tokenType = "Bearer"
    public var expiresAt: String

    public init(token: String, expiresAt: String) {
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// `POST /v1/channels/{channel}/messages` (202).
public struct AcceptedJSON: Codable, Sendable, Equatable {
    public var id: String
    public var channel: String
    public var author: String
    public var timestamp: String
    public var status = "accepted"

    public init(id: String, channel: String, author: String, timestamp: String) {
        self.id = id
        self.channel = channel
        self.author = author
        self.timestamp = timestamp
    }
}

public struct UsersJSON: Codable, Sendable, Equatable {
    public var users: [UserJSON]
    public init(users: [UserJSON]) { self.users = users }
}

public struct ChannelsJSON: Codable, Sendable, Equatable {
    public var channels: [ChannelJSON]
    public init(channels: [ChannelJSON]) { self.channels = channels }
}

public struct StatusJSON: Codable, Sendable, Equatable {
    public var status: String
    public init(status: String) { self.status = status }
}

/// Every error: `{"error":{"code":"...","message":"..."}}`.
public struct ErrorJSON: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        /// Machine-readable, snake_case (`invalid_token`, `user_blocked`, ...).
        public var code: String
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var error: Detail
    public init(error: Detail) { self.error = error }
}
