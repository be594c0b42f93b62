import ChatModel

/// A key press (or terminal event) as decoded by the driver.
public enum Key: Sendable, Equatable {
    /// A printable character (one grapheme). Control characters are ignored by the reducer.
    case char(Character)
    case enter, backspace, delete, left, right, home, end, up, down, pageUp, pageDown, tab, esc
    /// Ctrl + letter, lower-case: `.ctrl("a")`.
    case ctrl(Character)
    case mouseWheelUp, mouseWheelDown
    /// Text pasted at once (bracketed paste): one message, line breaks kept, never a command.
    case paste(String)
    /// The terminal was resized to `cols` x `rows`.
    case resize(cols: Int, rows: Int)
}

/// The outcome of producing one own message (librdkafka delivery report).
public enum DeliveryResult: Sendable, Equatable {
    case delivered
    case failed(String)
}

/// Delivery state of an own message, kept in `TUIState.pending` by id.
public enum DeliveryStatus: Sendable, Equatable {
    /// Sent to the producer, no delivery report yet (shown with a trailing `…`).
    case pending
    /// Delivery report OK, moderated copy not seen yet (shown normally).
    case confirmed
    /// Delivery failed (shown with `✗ failed: reason`).
    case failed(String)
}

/// Broker connection state shown on the status line.
public enum ConnectionStatus: Sendable, Equatable {
    case connecting(String? = nil)
    case connected(String? = nil)
    case disconnected(String? = nil)

    /// `connecting`, `connected`, `disconnected: broker down`, ...
    public var label: String {
        switch self {
        case .connecting(let d): return d.map { "connecting: \($0)" } ?? "connecting"
        case .connected(let d): return d.map { "connected: \($0)" } ?? "connected"
        case .disconnected(let d): return d.map { "disconnected: \($0)" } ?? "disconnected"
        }
    }

    public var isConnected: Bool {
        if case .connected = self { return true }
        return false
    }
}

/// Everything the reducer reacts to.
public enum TUIAction: Sendable, Equatable {
    /// Dispatch once at startup: joins and requests history for the initial channels.
    case start
    case key(Key)
    /// A moderated copy from `chat_controlled`.
    case incoming(ChatMessage)
    /// An event from `chat_control`.
    case control(ControlEvent)
    /// Delivery report for an own message id.
    case delivery(id: String, result: DeliveryResult)
    case connection(ConnectionStatus)
    /// Older messages for `channel` (any order; the REST API returns newest first).
    case historyLoaded(channel: String, messages: [ChatMessage])
    /// Informational lines (e.g. results of /users, /stats) for the current channel.
    case info([String])
    /// An error line (e.g. a failed REST call) for the current channel.
    case error(String)
    /// Periodic timer; currently changes nothing (the driver may redraw).
    case tick
}

/// Side effects the driver must execute after `reduce`.
public enum TUIEffect: Sendable, Equatable {
    /// Produce this own message to the `chat` topic, then report `.delivery(id:result:)`.
    case send(ChatMessage)
    /// Subscribe to / announce joining a public channel (send a `join` control event).
    case joinChannel(String)
    /// Announce leaving a public channel (send a `leave` control event).
    case leaveChannel(String)
    /// Fetch messages older than `before` (nil = newest); answer with `.historyLoaded`.
    case requestHistory(channel: String, before: String?)
    /// Fetch the user list; answer with `.info(lines)`.
    case requestUsers
    /// Fetch statistics; answer with `.info(lines)`.
    case requestStats
    case quit
    /// Ring the terminal bell (mention, DM, warning, block).
    case bell
}
