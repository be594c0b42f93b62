import ChatAPIModels
import ChatModel
import ChatStore
import Foundation
import Hummingbird

/// Every error the API answers with: `{"error":{"code":"...","message":"..."}}` and a status.
public struct APIError: HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// Machine-readable, snake_case (`invalid_token`, `user_blocked`, ...).
    public var code: String
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONBody.response(ErrorJSON(error: .init(code: code, message: message)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    public static func badRequest(_ code: String, _ message: String) -> APIError {
        APIError(.badRequest, code, message)
    }

    public static func unauthorized(_ code: String, _ message: String) -> APIError {
        APIError(.unauthorized, code, message, headers: [.wwwAuthenticate: "Bearer realm=\"kchat\""])
    }

    public static func forbidden(_ code: String, _ message: String) -> APIError {
        APIError(.forbidden, code, message)
    }

    public static func notFound(_ code: String, _ message: String) -> APIError {
        APIError(.notFound, code, message)
    }

    public static func conflict(_ code: String, _ message: String) -> APIError {
        APIError(.conflict, code, message)
    }
}

extension APIError {
    /// Maps anything a handler or Hummingbird throws to an `APIError`.
    init(converting error: any Error) {
        switch error {
        case let own as APIError:
            self = own
        case let model as ChatModelError:
            self = APIError(model: model)
        case let store as ChatStoreError where store.code == .unknownCursor:
            self = .badRequest("invalid_cursor", store.message)
        case let http as HTTPError:
            self = APIError(http.status, Self.code(for: http.status), http.body ?? http.status.reasonPhrase,
                            headers: http.headers)
        case let other as any HTTPResponseError:
            self = APIError(other.status, Self.code(for: other.status), other.status.reasonPhrase)
        default:
            self = APIError(.internalServerError, "internal_error", "internal server error")
        }
        if status == .contentTooLarge, code == "content_too_large" {
            code = "request_too_large"
            message = "request body is too large"
        }
    }

    /// Validation failures of ChatModel: 413 for oversize text, 400 otherwise.
    init(model error: ChatModelError) {
        switch error.code {
        case .messageTooLarge: self = APIError(.contentTooLarge, "message_too_large", error.message)
        case .emptyMessage: self = .badRequest("empty_message", error.message)
        case .invalidChannel: self = .badRequest("invalid_channel", error.message)
        case .invalidAuthor: self = .badRequest("invalid_name", error.message)
        case .invalidID: self = .badRequest("invalid_id", error.message)
        case .malformedJSON: self = .badRequest("malformed_json", error.message)
        case .missingField: self = .badRequest("missing_field", error.message)
        case .invalidField, .invalidTimestamp: self = .badRequest("invalid_field", error.message)
        }
    }

    /// `Not Found` -> `not_found`.
    static func code(for status: HTTPResponse.Status) -> String {
        status.reasonPhrase.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
            .reduce(into: "") { $0.append($1) }
    }
}
