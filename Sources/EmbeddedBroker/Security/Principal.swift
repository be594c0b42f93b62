/// Who a connection authenticated as.
public struct Principal: Sendable, Hashable, CustomStringConvertible {
    /// What kind of principal: the broker passes it to the authorizer and does not interpret it.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case user, admin, service
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// As Kafka writes principals: `User:alice`.
    public var description: String { "User:\(name) (\(kind.rawValue))" }
}

/// Kafka's ACL operations that this broker checks.
public enum AclOperation: String, Sendable, Hashable, CaseIterable {
    case read = "Read"
    case write = "Write"
    case create = "Create"
    case delete = "Delete"
    case describe = "Describe"
    case idempotentWrite = "IdempotentWrite"
}

/// Kafka's ACL resources that this broker checks.
public enum AclResource: Sendable, Hashable {
    case topic(String)
    case group(String)
    case cluster
}

/// Checks SASL credentials. Called off the event loop (password hashing is slow); returns nil
/// for a refused login. Implementations must not throw details at the client: a refusal is a
/// refusal.
public protocol BrokerAuthenticator: Sendable {
    /// SASL/PLAIN: a user name and password.
    func authenticate(plain user: String, password: String) async -> Principal?
    /// SASL/OAUTHBEARER: a bearer token.
    func authenticate(bearer token: String) async -> Principal?
}

/// Decides whether an authenticated principal may do an operation on a resource. Called on the
/// event loop for every topic and group of every request: it must be fast and not block.
public protocol BrokerAuthorizer: Sendable {
    func authorize(_ principal: Principal, _ operation: AclOperation, _ resource: AclResource) -> Bool
}
