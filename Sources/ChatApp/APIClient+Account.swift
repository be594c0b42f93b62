import ChatAPIModels
import ChatModel
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Accounts on the hub's REST API: register, log in, refresh a token.
extension APIClient {
    /// An access token and when it expires.
    public struct IssuedToken: Codable, Sendable, Equatable {
        public var token: String
        public var expiresAt: Date
    }

    /// What answering a credentials request can end in, besides a token.
    public enum AccountError: Error, Equatable, CustomStringConvertible {
        case wrongCredentials
        case nameTaken
        case refused(status: Int, code: String, message: String)

        public var description: String {
            switch self {
            case .wrongCredentials: return "wrong user name or password"
            case .nameTaken: return "that name is already registered"
            case .refused(let status, let code, let message): return "\(message) (\(status) \(code))"
            }
        }
    }

    /// `POST /v1/users`: true when the name was registered now, false when it already was.
    public func register(name: String, password: String) async throws -> Bool {
        let (status, body) = try await post("/v1/users", json: CredentialsBody(name: name, password: password))
        switch status {
        case 201: return true
        case 409: return false
        default: throw Self.refusal(status, body)
        }
    }

    /// `POST /v1/login`.
    public func login(name: String, password: String) async throws -> IssuedToken {
        let (status, body) = try await post("/v1/login", json: CredentialsBody(name: name, password: password))
        if status == 401 { throw AccountError.wrongCredentials }
        return try Self.token(status, body)
    }

    /// `POST /v1/token`: a fresh token for a valid one.
    public func refresh(_ token: String) async throws -> IssuedToken {
        let (status, body) = try await post("/v1/token", json: nil as CredentialsBody?, bearer: token)
        return try Self.token(status, body)
    }

    private static func token(_ status: Int, _ body: Data) throws -> IssuedToken {
        guard status == 200 else { throw refusal(status, body) }
        let answer = try JSONDecoder().decode(TokenJSON.self, from: body)
        guard let expiresAt = Timestamp.parse(answer.expiresAt) else {
            throw APIClientError("the API answered an unreadable expiry '\(answer.expiresAt.prefix(40))'")
        }
        return IssuedToken(token: answer.token, expiresAt: expiresAt)
    }

    private static func refusal(_ status: Int, _ body: Data) -> AccountError {
        let detail = (try? JSONDecoder().decode(ErrorJSON.self, from: body))?.error
        return .refused(status: status, code: detail?.code ?? "http_\(status)",
                        message: detail?.message ?? String(decoding: body.prefix(200), as: UTF8.self))
    }

    private func post(_ path: String, json: (some Encodable)?, bearer: String? = nil) async throws -> (Int, Data) {
        var headers = [("Content-Type", "application/json")]
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        return try await exchange("POST", path, headers: headers, body: try json.map { try JSONEncoder().encode($0) } ?? Data(),
                                  timeout: .seconds(10))
    }
}
