import ChatModel
import Foundation

/// One identity for REST and Kafka: the first time a nick is used against a hub, its password
/// registers it (when new) or logs in; the token is kept (0600) in the data directory and
/// refreshed before it expires, so later starts ask nothing.
public struct AccountLogin: Sendable {
    public var api: APIClient
    public var name: String
    /// Where the token is kept: one file per nick and hub.
    public var tokenFile: String
    /// A token closer to its expiry than this is refreshed.
    public var refreshMargin: TimeInterval = 6 * 3600

    public init(api: APIClient, name: String, dataDirectory: String) {
        self.api = api
        self.name = name
        self.tokenFile = "\(dataDirectory)/tokens/\(Self.fileName(name: name, api: api.baseURL))"
    }

    /// How the login went.
    public enum Outcome: Sendable, Equatable {
        case saved, refreshed, loggedIn, registered
    }

    /// When a client logs in to Kafka with the account's token.
    public enum Policy: String, Sendable, CaseIterable {
        /// When a token is saved or the API answers; otherwise connect without authentication
        /// (a broker that requires it then refuses, with a hint to log in).
        case auto
        /// Always: no token is an error.
        case token
        /// Never (a broker without authentication, or -X security settings).
        case none
    }

    /// The token keeper for a client session, or nil when `policy` is `.none`, or when it is
    /// `.auto`, nothing is saved and the API does not answer within `waitForAPI`.
    public func session(policy: Policy, waitForAPI: Duration = .seconds(2),
                        password: () throws -> String) async throws -> TokenKeeper? {
        guard policy != .none else { return nil }
        if load().map({ $0.expiresAt > Date() }) != true {
            guard await api.answers(within: waitForAPI) else {
                if policy == .auto { return nil }
                throw APIClientError("cannot log in as \(name): \(api.baseURL) does not answer (is the hub running? --api names it)")
            }
        }
        let (token, _) = try await token(password: password)
        return TokenKeeper(login: self, token: token)
    }

    /// A valid token for `name`: the saved one, refreshed when near expiry, else from the
    /// password `password()` gives (asked only then), registering the name when it is new.
    public func token(now: Date = Date(), password: () throws -> String) async throws -> (APIClient.IssuedToken, Outcome) {
        if let saved = load(), saved.expiresAt > now {
            if saved.expiresAt.timeIntervalSince(now) > refreshMargin { return (saved, .saved) }
            if let fresh = try? await api.refresh(saved.token) {
                try save(fresh)
                return (fresh, .refreshed)
            }
            // The API is away: the saved token is still valid, and is refreshed later.
            return (saved, .saved)
        }
        let secret = try password()
        let registered = try await api.register(name: name, password: secret)
        let token = try await api.login(name: name, password: secret)
        try save(token)
        return (token, registered ? .registered : .loggedIn)
    }

    /// The saved token, if there is a readable one.
    public func load() -> APIClient.IssuedToken? {
        guard let data = FileManager.default.contents(atPath: tokenFile) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(APIClient.IssuedToken.self, from: data)
    }

    /// Writes the token atomically; with kchat's umask the file is 0600 from creation, and the
    /// mode is checked again here.
    func save(_ token: APIClient.IssuedToken) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let directory = (tokenFile as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try encoder.encode(token).write(to: URL(fileURLWithPath: tokenFile), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile)
    }

    /// `alice@127.0.0.1_8080.json`: the nick and the API's host and port, nothing a path could misread.
    static func fileName(name: String, api: String) -> String {
        let host = api.replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "https://", with: "")
        let safe = host.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
        return "\(name)@\(String(safe)).json"
    }
}
