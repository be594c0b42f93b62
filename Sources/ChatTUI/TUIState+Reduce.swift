import ChatModel
import Foundation

/// The single state transition of the UI. Pure apart from generating ids for own messages:
/// no I/O; everything outside (Kafka, REST, terminal) is requested through the returned effects.
///
/// - Parameter now: the current time (own message timestamps, system lines); injectable for tests.
public func reduce(state: inout TUIState, action: TUIAction, now: Date = Date()) -> [TUIEffect] {
    if case .key(let key) = action, key != .tab { state.completion = nil }
    switch action {
    case .start:
        return state.startEffects()
    case .key(let key):
        return state.handleKey(key, now: now)
    case .incoming(let message):
        return state.receive(message, now: now)
    case .control(let event):
        return state.receive(event, now: now)
    case .delivery(let id, let result):
        state.delivered(id: id, result: result)
        return []
    case .connection(let status):
        state.connection = status
        return []
    case .historyLoaded(let channel, let messages):
        state.loadHistory(channel: channel, messages: messages)
        return []
    case .info(let lines):
        for line in lines { state.appendSystem(.info, line, at: now) }
        return []
    case .error(let text):
        state.appendSystem(.error, text, at: now)
        return []
    case .tick:
        return []
    }
}

extension TUIState {
    mutating func startEffects() -> [TUIEffect] {
        var effects: [TUIEffect] = []
        for channel in channels where !channel.isDirect {
            effects.append(.joinChannel(channel.name))
        }
        for i in channels.indices {
            effects += requestInitialHistory(i)
        }
        return effects
    }

    /// Appends a system line to `channel` (default: the selected channel).
    mutating func appendSystem(_ kind: SystemKind, _ text: String, at time: Date, channel: Int? = nil) {
        guard let i = channel ?? (channels.indices.contains(selected) ? selected : nil) else { return }
        channels[i].append(.system(kind, text, at: time), limit: maxLinesPerChannel)
    }

    /// Selects channel `i`, clearing its unread count and mention flag.
    mutating func select(_ i: Int) {
        guard channels.indices.contains(i) else { return }
        selected = i
        channels[i].unread = 0
        channels[i].mentioned = false
    }

    /// Adds a channel if missing; returns its index and whether it was new.
    mutating func ensureChannel(_ name: String) -> (index: Int, added: Bool) {
        if let i = channelIndex(named: name) { return (i, false) }
        channels.append(ChannelState(name: name))
        return (channels.count - 1, true)
    }

    /// Effects to fetch the first page of history for a newly added channel.
    mutating func requestInitialHistory(_ i: Int) -> [TUIEffect] {
        guard !channels[i].historyRequested else { return [] }
        channels[i].historyRequested = true
        return [.requestHistory(channel: channels[i].name, before: nil)]
    }
}
