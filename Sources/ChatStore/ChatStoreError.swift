/// Errors raised by the store itself (database errors are passed through unchanged).
public struct ChatStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// `history(before:)` named a message that is not in that channel.
        case unknownCursor
        /// A configuration (database URL, path) could not be used.
        case invalidConfiguration
        /// A row did not have the expected shape (schema mismatch).
        case unexpectedRow
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
