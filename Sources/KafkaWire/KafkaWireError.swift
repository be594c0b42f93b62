/// The one error type of the wire layer: what went wrong while reading a frame.
public struct KafkaWireError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// A field ran past the end of the frame.
        case truncated
        /// A length prefix is negative (where null is not allowed) or larger than allowed.
        case invalidLength
        /// The API key is not one this broker implements.
        case unknownApiKey
        /// The API is known but this version is not supported.
        case unsupportedVersion
        /// Bytes were left over after the body, or a value is out of range.
        case malformed
        /// A string field is not valid UTF-8.
        case invalidString
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
