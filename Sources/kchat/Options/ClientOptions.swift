import ArgumentParser
import ChatKafka
import Foundation

/// Who is asking and where, for the scriptable commands that act as a user: the connection, the
/// account it logs in with, and `-u` (default $USER).
struct ClientOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var account: AccountOptions

    @Option(name: .shortAndLong, help: "Who you are (default: $USER).")
    var user: String = ProcessInfo.processInfo.environment["USER"] ?? "anonymous"

    /// Logs in (as the account options say), connects, runs `body`, and says a refusal of
    /// `action` by the broker's ACLs in one line.
    func withChat(action: String? = nil, _ body: (ChatConnection) async throws -> Void) async throws {
        try await kchat.withChat(try await account.configuration(connection, user: user, clientID: "kchat"),
                                 action: action, body)
    }
}
