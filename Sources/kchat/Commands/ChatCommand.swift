import ArgumentParser
import ChatApp
import ChatHub
import ChatKafka
import ChatModel
import ChatTUI
import ChatTUICurses
import Foundation
import Logging

struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Open the chat (the default command).",
        discussion: """
            With no brokers configured (--brokers, $KCHAT_BROKERS) and nothing answering on \
            localhost:9092, the local hub (embedded broker + moderator) is started in the background \
            first, with you as its admin; `kchat stop` stops it. The first time a nick is used against \
            a hub its password is asked (registering it when new; --password-file or $KCHAT_PASSWORD \
            for scripts) and the token is kept for later starts.
            """)

    @Option(name: .shortAndLong, help: "Your nick (default: asked, suggesting $USER).")
    var user: String?

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .shortAndLong, help: "Channels to open (repeatable).")
    var channel: [String] = ["general"]

    @Flag(help: "Never start the local hub.")
    var noAutostart = false

    @OptionGroup var account: AccountOptions

    func run() throws {
        let nick = try user ?? Self.askNick()
        try UserName.validate(nick)
        var configuration = try connection.configuration(clientID: "kchat-\(nick)")
        let (_, configured) = ChatKafkaConfiguration.resolveBrokers(connection.brokers)
        var notice: String?
        let data = account.data
        if !configured, !HubProcess.isListening(host: "127.0.0.1", port: 9092) {
            guard !noAutostart else {
                throw CommandFailure("nothing answers on localhost:9092 and --no-autostart was given")
            }
            var hub = HubConfiguration(dataDirectory: data)
            hub.listenHost = "127.0.0.1"
            try HubProcess.startInBackground(executable: Self.executablePath,
                                             arguments: ["serve", "--data", data, "--listen", "127.0.0.1:9092", "--admin", nick],
                                             configuration: hub)
            notice = "Started the local hub in the background (log: \(hub.logFile); `kchat stop` stops it)."
            configuration.brokers = "127.0.0.1:9092"
        }
        try PrivateDirectory.prepare(data)
        // Before the terminal is taken over: the password may be asked (once per nick and hub).
        // A hub just started gets time to open its API.
        let account = account
        let keeper = try runBlocking { [notice] in
            try await account.logIn(nick, waitForAPI: notice == nil ? .seconds(2) : .seconds(30))
        }
        configuration.token = keeper?.provider
        var logger = Logger(label: "kchat.chat") { label in FileLogHandler(label: label, path: "\(data)/chat-\(nick).log") }
        logger.logLevel = .info

        let state = TUIState(me: nick, broker: configuration.brokers,
                             channels: channel.map(ChannelName.normalize), timeZone: .current)
        let app = ChatTerminalApp(state: state)
        let live = try LiveChat(configuration: configuration, user: nick, apiURL: account.apiURL, logger: logger) { app.send($0) }
        if let notice { app.send(.info([notice])) }
        if keeper == nil, account.policy == .auto {
            app.send(.info(["Not logged in (\(account.apiURL) does not answer): using Kafka without authentication."]))
        }
        app.send(.connection(.connecting(configuration.brokers)))
        live.start()
        try app.run { effect in live.perform(effect) }
        let done = DispatchSemaphore(value: 0)
        Task {
            await live.stop()
            done.signal()
        }
        _ = done.wait(timeout: .now() + 10)
    }

    static func askNick() throws -> String {
        let suggestion = ProcessInfo.processInfo.environment["USER"] ?? "guest"
        guard isatty(STDIN_FILENO) != 0 else { return suggestion }
        print("Nick [\(suggestion)]: ", terminator: "")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces) ?? ""
        return answer.isEmpty ? suggestion : answer
    }

    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
