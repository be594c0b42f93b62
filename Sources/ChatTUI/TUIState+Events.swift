import ChatModel
import Foundation

extension TUIState {
    /// A moderated message. Unknown public channels are ignored (not joined); a DM to me opens
    /// its channel. The echo of an own message replaces the pending line (same id), and any
    /// other duplicate id is dropped.
    mutating func receive(_ message: ChatMessage, now: Date) -> [TUIEffect] {
        let i: Int
        if let known = channelIndex(named: message.channel) {
            i = known
        } else if ChannelName.peer(of: message.channel, me: me) != nil {
            i = ensureChannel(message.channel).index
        } else {
            return []
        }
        let line = ChatLine(message: message, me: me)
        if channels[i].contains(id: message.id) {
            // The moderated echo of an own pending message replaces it; other repeats are dropped.
            if pending[message.id] != nil, channels[i].replaceLine(id: message.id, with: line) {
                pending[message.id] = nil
            }
            return []
        }
        pending[message.id] = nil
        channels[i].append(line, limit: maxLinesPerChannel)
        guard !line.isOwn else { return [] }
        if i != selected {
            channels[i].unread += 1
            if line.mentionsMe { channels[i].mentioned = true }
        }
        return line.mentionsMe ? [.bell] : []
    }

    mutating func receive(_ event: ControlEvent, now: Date) -> [TUIEffect] {
        let user = TerminalSanitizer.sanitize(event.user)
        let target = event.channel.flatMap { channelIndex(named: $0) }
        let mine = event.user == me
        switch event.type {
        case .warning:
            guard mine else { return [] }
            warning = Self.warningText(event)
            return [.bell]
        case .blocked:
            if mine {
                blockReason = event.reason ?? event.warnings.map { w in
                    "too many warnings (\(w)/\(event.limit ?? w))"
                } ?? "blocked by the moderator"
                warning = nil
                return [.bell]
            }
            appendSystem(.block, "\(user) has been blocked", at: event.timestamp, channel: target)
        case .unblocked:
            if mine {
                blockReason = nil
                appendSystem(.info, "You have been unblocked", at: event.timestamp)
            } else {
                appendSystem(.info, "\(user) has been unblocked", at: event.timestamp, channel: target)
            }
        case .rejected:
            guard mine else { return [] }
            if let id = event.messageId, pending[id] != nil {
                pending[id] = .failed(event.reason ?? "rejected: you are blocked")
            }
            // Only a block disables input: a message refused for its signature (an expired token,
            // or someone else's message claiming to be mine) fails that message, nothing more.
            if blockReason == nil, event.rejectsBlockedUser { blockReason = event.reason ?? "blocked by the moderator" }
        case .join, .leave:
            guard let i = target else { return [] }
            let verb = event.type == .join ? "joined" : "left"
            if event.type == .join { channels[i].noteNick(user) }
            channels[i].append(.system(event.type == .join ? .join : .leave,
                                       "\(user) \(verb) \(displayName(of: channels[i].name))",
                                       at: event.timestamp), limit: maxLinesPerChannel)
        }
        return []
    }

    /// "Warning 2/3: <reason>" (or a default text naming the channel).
    static func warningText(_ e: ControlEvent) -> String {
        var head = "Warning"
        if let w = e.warnings {
            head += e.limit.map { " \(w)/\($0)" } ?? " \(w)"
        }
        let reason = e.reason
            ?? e.channel.map { "your message in #\($0) was moderated" }
            ?? "your message was moderated"
        return TerminalSanitizer.sanitize("\(head): \(reason)")
    }

    mutating func delivered(id: String, result: DeliveryResult) {
        guard pending[id] != nil else { return }
        switch result {
        case .delivered: pending[id] = .confirmed
        case .failed(let reason): pending[id] = .failed(reason)
        }
    }

    mutating func loadHistory(channel: String, messages: [ChatMessage]) {
        guard let i = channelIndex(named: channel) else { return }
        channels[i].historyRequested = false
        channels[i].historyLoaded = true
        channels[i].mergeHistory(messages, me: me)
        if messages.isEmpty { channels[i].historyExhausted = true }
    }
}
