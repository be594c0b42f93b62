/// Errors of the broker's own operations (start-up, storage).
public struct BrokerError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case io
        case corruptData
        case invalidTopic
        case topicExists
        case unknownTopic
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
