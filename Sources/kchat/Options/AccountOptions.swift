import ArgumentParser
import ChatApp
import ChatHub
import ChatKafka
import Foundation

extension AccountLogin.Policy: ExpressibleByArgument {}

/// `--api`, `--password-file`, `--auth`, `--data`: who the user is on the hub, shared by every
/// command that acts as a user (chat, send, read, channels, users). The account is the same for
/// REST and Kafka: the token from the API logs in to the broker (SASL/OAUTHBEARER) and signs
/// every message sent.
struct AccountOptions: ParsableArguments {
    @Option(help: "The hub's REST API, where you log in (default: $KCHAT_API, else http://127.0.0.1:8080).")
    var api: String?

    @Option(help: "Read your password from this file (first line); else $KCHAT_PASSWORD, else it is asked.")
    var passwordFile: String?

    @Option(help: ArgumentHelp("""
        Log in to Kafka with your account's token: 'auto' (when a token is saved or the API answers), \
        'token' (always), 'none' (never; e.g. a broker without authentication, or -X sasl settings). \
        Default: $KCHAT_AUTH, else auto.
        """, valueName: "auto|token|none"))
    var auth: AccountLogin.Policy?

    @Option(help: "Data directory (your tokens and logs; the local hub's data).")
    var data: String = DataDirectory.default

    var apiURL: String {
        if let api, !api.isEmpty { return api }
        if let env = ProcessInfo.processInfo.environment["KCHAT_API"], !env.isEmpty { return env }
        return "http://127.0.0.1:8080"
    }

    var policy: AccountLogin.Policy {
        auth ?? ProcessInfo.processInfo.environment["KCHAT_AUTH"].flatMap(AccountLogin.Policy.init(rawValue:)) ?? .auto
    }

    /// Logs `user` in as the policy says (asking the password only when no valid token is
    /// saved) and returns the keeper of the token, nil when not logged in.
    func logIn(_ user: String, waitForAPI: Duration = .seconds(2)) async throws -> TokenKeeper? {
        guard policy != .none else { return nil }
        try PrivateDirectory.prepare(data)
        let login = AccountLogin(api: APIClient(baseURL: apiURL), name: user, dataDirectory: data)
        let passwordFile = passwordFile
        do {
            return try await login.session(policy: policy, waitForAPI: waitForAPI) {
                try Password.read(file: passwordFile, for: user)
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("login as \(user) failed: \(error)")
        }
    }

    /// The connection's configuration with `user` logged in (when the policy says so).
    func configuration(_ connection: ConnectionOptions, user: String, clientID: String) async throws -> ChatKafkaConfiguration {
        var configuration = try connection.configuration(clientID: clientID)
        configuration.token = try await logIn(user)?.provider
        return configuration
    }
}
