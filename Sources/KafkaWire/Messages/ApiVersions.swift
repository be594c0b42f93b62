import NIOCore

/// ApiVersions (key 18) v0-2: the request body is empty.
public struct ApiVersionsRequest: KafkaRequestMessage {
    public static let apiKey = ApiKey.apiVersions
    public init() {}
    public init(from buffer: inout ByteBuffer, version: Int16) throws {}
    public func write(to buffer: inout ByteBuffer, version: Int16) {}
}

public struct ApiVersionsResponse: KafkaResponseMessage, Equatable {
    public struct Entry: Sendable, Equatable {
        public var apiKey: Int16
        public var minVersion: Int16
        public var maxVersion: Int16
        public init(apiKey: Int16, minVersion: Int16, maxVersion: Int16) {
            self.apiKey = apiKey
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }
    }

    public var errorCode: KafkaErrorCode
    public var apiKeys: [Entry]
    public var throttleTimeMs: Int32 = 0

    public init(errorCode: KafkaErrorCode, apiKeys: [Entry]) {
        self.errorCode = errorCode
        self.apiKeys = apiKeys
    }

    /// Every API in `ApiKey` with its supported versions.
    public static var supported: ApiVersionsResponse {
        ApiVersionsResponse(errorCode: .none, apiKeys: ApiKey.allCases.map {
            Entry(apiKey: $0.rawValue, minVersion: $0.supportedVersions.lowerBound, maxVersion: $0.supportedVersions.upperBound)
        })
    }

    /// The answer to an ApiVersions request at a version we do not speak: a v0 body with
    /// UNSUPPORTED_VERSION that lists ApiVersions itself, so the client retries at v2 or lower.
    public static var unsupportedVersion: ApiVersionsResponse {
        let range = ApiKey.apiVersions.supportedVersions
        return ApiVersionsResponse(errorCode: .unsupportedVersion, apiKeys: [
            Entry(apiKey: ApiKey.apiVersions.rawValue, minVersion: range.lowerBound, maxVersion: range.upperBound),
        ])
    }

    public func write(to buffer: inout ByteBuffer, version: Int16) {
        buffer.writeKafkaInteger(errorCode.rawValue)
        buffer.writeKafkaArray(apiKeys) { buffer, entry in
            buffer.writeKafkaInteger(entry.apiKey)
            buffer.writeKafkaInteger(entry.minVersion)
            buffer.writeKafkaInteger(entry.maxVersion)
        }
        if version >= 1 { buffer.writeKafkaInteger(throttleTimeMs) }
    }
}
