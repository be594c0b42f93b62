import Foundation

/// The API's JWT secret: `$KCHAT_JWT_SECRET`, else a random one generated on first start and kept
/// (mode 0600 from creation, written atomically) in the data directory, so tokens stay valid across restarts. Never hard-coded.
public enum JWTSecret {
    public static func resolve(file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let secret = environment["KCHAT_JWT_SECRET"], !secret.isEmpty { return secret }
        if let stored = try? String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           stored.utf8.count >= 32 {
            return stored
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try PrivateDirectory.writeFile(Data((secret + "\n").utf8), to: file)
        return secret
    }
}
