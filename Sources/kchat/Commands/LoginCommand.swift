import ArgumentParser
import ChatApp
import ChatHub
import ChatModel
import Foundation

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a hub (registering the name when it is new) and keep the token.",
        discussion: """
            The password comes from --password-file, else $KCHAT_PASSWORD, else it is asked on the \
            terminal (not echoed). The token is kept (0600) in the data directory and refreshed before \
            it expires, so the password is asked only once per nick and hub.
            """)

    @Option(name: .shortAndLong, help: "Nick (default: $USER).")
    var user: String = ProcessInfo.processInfo.environment["USER"] ?? "guest"

    @Option(help: "The hub's REST API.")
    var api: String = "http://127.0.0.1:8080"

    @Option(help: "Read the password from this file (first line).")
    var passwordFile: String?

    @Option(help: "Data directory (where the token is kept).")
    var data: String = DataDirectory.default

    func run() async throws {
        do {
            try UserName.validate(user)
        } catch {
            throw CommandFailure("invalid nick: \(error)")
        }
        try PrivateDirectory.prepare(data)
        let login = AccountLogin(api: APIClient(baseURL: api), name: user, dataDirectory: data)
        let outcome: AccountLogin.Outcome
        do {
            (_, outcome) = try await login.token { try Password.read(file: passwordFile, for: user) }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("login failed: \(error)")
        }
        let what = switch outcome {
        case .saved: "already logged in"
        case .refreshed: "token refreshed"
        case .loggedIn: "logged in"
        case .registered: "registered and logged in"
        }
        print("\(user): \(what) (token in \(login.tokenFile))")
    }
}

/// Where a password comes from, in order: a file, `$KCHAT_PASSWORD`, the terminal (no echo).
enum Password {
    static func read(file: String?, for user: String) throws -> String {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CommandFailure("cannot read the password file \(file)")
            }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        if let password = ProcessInfo.processInfo.environment["KCHAT_PASSWORD"], !password.isEmpty { return password }
        guard isatty(STDIN_FILENO) != 0 else {
            throw CommandFailure("a password is needed for \(user): give --password-file or set KCHAT_PASSWORD")
        }
        return try askWithoutEcho("Password for \(user) (a new name is registered with it): ")
    }

    /// Reads one line from the terminal with echo off (restored on every path).
    private static func askWithoutEcho(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let haveSaved = tcgetattr(STDIN_FILENO, &saved) == 0
        if haveSaved {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if haveSaved { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure("no password given") }
        return line
    }
}
