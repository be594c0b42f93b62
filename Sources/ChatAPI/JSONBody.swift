import Foundation
import Hummingbird

/// JSON in and out, with the API's error codes for bad input.
enum JSONBody {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Reads at most `limit` bytes of body and decodes it.
    /// - Throws: `APIError` 413 `request_too_large`, 400 `malformed_json`, `missing_field` or
    ///   `invalid_field`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "request_too_large", "request body is larger than \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else {
            throw APIError.badRequest("malformed_json", "request body must be a JSON object")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError.badRequest("missing_field", "missing field '\(key.stringValue)'")
        } catch DecodingError.valueNotFound(_, let context) {
            throw APIError.badRequest("missing_field", "missing field '\(context.codingPath.last?.stringValue ?? "?")'")
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            throw APIError.badRequest("invalid_field",
                                      "field '\(context.codingPath.last!.stringValue)' has the wrong type")
        } catch {
            throw APIError.badRequest("malformed_json", "request body is not a valid JSON object")
        }
    }
}
