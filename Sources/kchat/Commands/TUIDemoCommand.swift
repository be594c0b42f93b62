import ArgumentParser
import ChatModel
import ChatTUI
import ChatTUICurses
import Dispatch
import Foundation

/// `kchat tui-demo`: the real terminal UI on a loopback instead of Kafka (for trying the UI and
/// for the tmux tests). Own messages are "delivered" after 50 ms and echoed back as moderated
/// copies. Sending the plain text `demo-warn` adds a 2/3 warning for me, `demo-block` blocks me.
struct TUIDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui-demo",
        abstract: "Run the chat UI on a local loopback, without Kafka.",
        shouldDisplay: false
    )

    @Option(help: "Your user name.")
    var user: String = "me"

    func validate() throws {
        guard UserName.isValid(user) else { throw ValidationError("'\(user)' is not a valid user name") }
    }

    func run() throws {
        let state = TUIState(me: user, broker: "loopback", channels: ["general"], timeZone: .current)
        let app = ChatTerminalApp(state: state)
        let loopback = DemoLoopback(app: app, me: user)
        loopback.greet()
        try app.run { effect in loopback.handle(effect) }
    }
}

/// Plays the part of Kafka, the moderator and the REST API for `tui-demo`.
struct DemoLoopback: Sendable {
    let app: ChatTerminalApp
    let me: String
    static let echoDelay = DispatchTimeInterval.milliseconds(50)

    /// Connection status and a few messages from bob, including hostile text.
    func greet() {
        app.send(.connection(.connected("demo")))
        let now = Date()
        let lines = [
            "hi \(me), welcome to the kchat demo",
            "colours are not for you: \u{1b}[31mred\u{1b}[0m \u{1b}]0;title\u{07}",
            "你好，世界 👋 こんにちは 🎉 한국어",
            "C1 \u{9b}32mgreen\u{9b}0m, bidi \u{202e}desrever\u{202c}, bell\u{07}, tab\tend",
        ]
        for (i, text) in lines.enumerated() {
            let message = ChatMessage(channel: "general", author: "bob", data: text,
                                      timestamp: now.addingTimeInterval(Double(i) - 10))
            app.send(.incoming(message))
        }
    }

    func handle(_ effect: TUIEffect) {
        switch effect {
        case .send(let message):
            later {
                app.send(.delivery(id: message.id, result: .delivered))
                app.send(.incoming(message))
                switch message.data {
                case "demo-warn":
                    app.send(.control(.warning(user: me, warnings: 2, limit: 3, channel: message.channel,
                                               messageId: message.id)))
                case "demo-block":
                    app.send(.control(.blocked(user: me, warnings: 3, limit: 3, channel: message.channel,
                                               messageId: message.id)))
                default:
                    break
                }
            }
        case .joinChannel(let channel):
            later { app.send(.control(.join(user: me, channel: channel))) }
        case .leaveChannel:
            break
        case .requestHistory(let channel, let before):
            let messages = before == nil ? Self.history(channel: channel) : []
            later { app.send(.historyLoaded(channel: channel, messages: messages)) }
        case .requestUsers:
            app.send(.info(["Users: bob, carol, \(me) (demo)"]))
        case .requestStats:
            app.send(.info(["Stats: demo loopback, nothing is persisted"]))
        case .quit, .bell:
            break
        }
    }

    private func later(_ work: @escaping @Sendable () -> Void) {
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.echoDelay, execute: work)
    }

    /// 40 older lines for #general, so scrollback has something to show.
    static func history(channel: String) -> [ChatMessage] {
        guard channel == "general" else { return [] }
        let start = Date().addingTimeInterval(-3600)
        return (1...40).map { i in
            ChatMessage(channel: channel, author: i % 2 == 0 ? "carol" : "bob",
                        data: "history message \(i)", timestamp: start.addingTimeInterval(Double(i) * 60))
        }
    }
}
