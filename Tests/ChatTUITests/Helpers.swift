import ChatModel
import ChatTUI
import Foundation

let t0 = Date(timeIntervalSince1970: 1_795_371_584)  // 2026-11-22 18:19:44 UTC

func makeState(me: String = "alice", channels: [String] = ["general", "random"],
               cols: Int = 60, rows: Int = 10) -> TUIState {
    var s = TUIState(me: me, channels: channels, size: TermSize(cols: cols, rows: rows))
    _ = s.reduce(.connection(.connected()), now: t0)
    return s
}

func msg(_ id: String, _ channel: String = "general", _ author: String = "bob", _ data: String,
         at time: Date = t0) -> ChatMessage {
    ChatMessage(id: id, channel: channel, author: author, data: data, timestamp: time)
}

extension TUIState {
    @discardableResult
    mutating func send(_ action: TUIAction) -> [TUIEffect] { reduce(action, now: t0) }

    @discardableResult
    mutating func key(_ k: Key) -> [TUIEffect] { reduce(.key(k), now: t0) }

    @discardableResult
    mutating func type(_ text: String) -> [TUIEffect] {
        var effects: [TUIEffect] = []
        for c in text { effects += reduce(.key(.char(c)), now: t0) }
        return effects
    }

    /// Types `text` and presses Enter.
    @discardableResult
    mutating func submit(_ text: String) -> [TUIEffect] {
        type(text)
        return key(.enter)
    }

    func channel(_ name: String) -> ChannelState? { channels.first { $0.name == name } }

    /// Texts of the lines of a channel.
    func texts(_ name: String) -> [String] { channel(name)?.lines.map(\.text) ?? [] }

    func screen() -> [String] { render(self, size: size).lines }
}

extension Array where Element == TUIEffect {
    var sentMessages: [ChatMessage] {
        compactMap { if case .send(let m) = $0 { return m } else { return nil } }
    }
}
