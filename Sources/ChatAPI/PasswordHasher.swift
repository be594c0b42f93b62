import HummingbirdBcrypt
import NIOPosix

/// bcrypt off the cooperative thread pool (a hash at cost 12 takes about a quarter second).
public struct PasswordHasher: Sendable {
    /// At least 8 characters (Unicode scalars, as JSON Schema counts them) and at most 72 bytes:
    /// bcrypt only reads the first 72 bytes, so longer passwords are refused rather than cut.
    static let minimumCharacters = 8
    static let maximumBytes = 72

    let cost: UInt8
    /// A hash of a random string, checked for unknown users so that a login takes the same
    /// time whether the name exists or not.
    let decoy: String

    public init(cost: UInt8) {
        self.cost = cost
        self.decoy = Bcrypt.hash("decoy-\(UInt64.random(in: .min ... .max))", cost: cost)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash` (nil: an unknown user, checked against a decoy so the
    /// answer takes as long). Off the cooperative thread pool.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        let hash = hash ?? decoy
        let known = hash != decoy
        let ok = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        return ok && known
    }

    static func validate(password: String) throws(APIError) {
        guard password.unicodeScalars.count >= minimumCharacters, password.utf8.count <= maximumBytes else {
            throw .badRequest("invalid_password",
                              "password must be at least \(minimumCharacters) characters and at most \(maximumBytes) bytes of UTF-8")
        }
    }
}
