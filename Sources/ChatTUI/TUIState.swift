import ChatModel
import Foundation

/// Terminal size in character cells.
public struct TermSize: Sendable, Equatable, Hashable {
    public var cols: Int
    public var rows: Int
    public init(cols: Int, rows: Int) {
        self.cols = cols
        self.rows = rows
    }
}

/// The banner shown across the top of the screen.
public enum Banner: Sendable, Equatable {
    /// A warning addressed to me, until Esc.
    case warning(String)
    /// I am blocked: red banner, input disabled.
    case blocked(String)
}

/// The whole UI state. Pure data: `reduce` changes it, `render` draws it.
public struct TUIState: Sendable, Equatable {
    public var me: String
    public var broker: String
    public var channels: [ChannelState]
    /// Index into `channels` (always valid while `channels` is non-empty).
    public var selected: Int
    public var input = InputLine()
    public var history = InputHistory()
    /// Active Tab-completion cycle (reset by any other key).
    public var completion: Completion?
    /// Text of a warning banner addressed to me ("Warning 2/3: ..."), until Esc.
    public var warning: String?
    /// Non-nil while I am blocked: the reason. Input is disabled (only /commands are accepted).
    public var blockReason: String?
    public var connection: ConnectionStatus = .connecting()
    /// Own messages by id that have not been echoed back on `chat_controlled` yet.
    public var pending: [String: DeliveryStatus] = [:]
    /// A quit was asked for while own messages were undelivered and the user was told: the next
    /// /quit (or Ctrl-C) drops them.
    public var quitConfirmationShown = false
    /// Time zone for HH:MM (default UTC, inject for local time).
    public var timeZone: TimeZone
    /// Last known terminal size (updated by `.key(.resize)`), used for page scrolling.
    public var size: TermSize
    /// Lines kept per channel before the oldest are dropped.
    public var maxLinesPerChannel: Int = 100_000

    public init(me: String, broker: String = "localhost:9092", channels: [String] = ["general"],
                timeZone: TimeZone = TimeZone(identifier: "UTC")!,
                size: TermSize = TermSize(cols: 80, rows: 24)) {
        self.me = me
        self.broker = broker
        let names = channels.isEmpty ? ["general"] : channels
        self.channels = names.map { ChannelState(name: $0) }
        self.selected = 0
        self.timeZone = timeZone
        self.size = size
    }

    public var currentChannel: ChannelState? {
        channels.indices.contains(selected) ? channels[selected] : nil
    }

    public func channelIndex(named name: String) -> Int? {
        channels.firstIndex { $0.name == name }
    }

    public var banner: Banner? {
        if let blockReason { return .blocked(blockReason) }
        if let warning { return .warning(warning) }
        return nil
    }

    public var isInputDisabled: Bool { blockReason != nil }

    /// `#general`, or `@bob` for my DM with bob.
    public func displayName(of channel: String) -> String {
        if let peer = ChannelName.peer(of: channel, me: me) { return "@" + peer }
        return ChannelName.isDirect(channel) ? channel : "#" + channel
    }

    /// Number of own messages still waiting for a delivery report.
    public var queuedCount: Int {
        pending.values.reduce(0) { $0 + ($1 == .pending ? 1 : 0) }
    }

    /// Applies one action; see `reduce(state:action:now:)`.
    public mutating func reduce(_ action: TUIAction, now: Date = Date()) -> [TUIEffect] {
        ChatTUI.reduce(state: &self, action: action, now: now)
    }
}
