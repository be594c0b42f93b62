import ChatModel
import Foundation

extension TUIState {
    /// Inline help shown by /help.
    public static let helpLines = [
        "Commands:",
        "  /join #channel     join (or switch to) a channel",
        "  /part [#channel]   leave the current (or named) channel",
        "  /msg nick text     send a direct message",
        "  /me action         describe an action",
        "  /users             list users",
        "  /stats             show statistics",
        "  /help              this help",
        "  /quit              exit",
        "Keys: Up/Down channel, PgUp/PgDn/wheel scroll, Ctrl-P/N history, Tab complete nick,",
        "  Esc dismiss warning / jump to newest, Ctrl-A/E/U/K/W edit, Ctrl-C quit. //text sends /text.",
    ]

    mutating func runCommand(_ line: String, now: Date) -> [TUIEffect] {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let name = trimmed.prefix { !$0.isWhitespace }.lowercased()
        let rest = trimmed.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        switch name {
        case "/join", "/j":
            return join(rest, now: now)
        case "/part", "/leave":
            return part(rest, now: now)
        case "/msg", "/query":
            let nick = rest.prefix { !$0.isWhitespace }
            let text = rest.dropFirst(nick.count).trimmingCharacters(in: .whitespaces)
            return directMessage(to: String(nick), text: text, now: now)
        case "/me":
            guard !rest.isEmpty else { return usage("/me action", now) }
            if isInputDisabled {
                appendSystem(.error, "You are blocked; messages are not sent.", at: now)
                return []
            }
            return sendMessage("/me " + rest, to: selected, now: now)
        case "/users", "/who", "/names":
            return [.requestUsers]
        case "/stats":
            return [.requestStats]
        case "/help":
            for text in Self.helpLines { appendSystem(.help, text, at: now) }
            return []
        case "/quit", "/exit":
            return requestQuit(now: now)
        default:
            appendSystem(.error, "Unknown command: \(name) (type /help)", at: now)
            return []
        }
    }

    /// /quit and Ctrl-C. Own messages not delivered yet (typed while disconnected, or still in
    /// flight) would be lost by quitting: the first request says how many and quits only when
    /// asked again (typing a message in between asks anew); with nothing undelivered it quits.
    mutating func requestQuit(now: Date) -> [TUIEffect] {
        let undelivered = queuedCount
        guard undelivered > 0, !quitConfirmationShown else { return [.quit] }
        quitConfirmationShown = true
        let messages = undelivered == 1 ? "1 message is" : "\(undelivered) messages are"
        let why = connection.isConnected ? "" : " (\(connection.label))"
        appendSystem(.error, "\(messages) not delivered yet\(why): /quit again to drop \(undelivered == 1 ? "it" : "them") and quit, "
            + "or wait for the delivery", at: now)
        return []
    }

    private mutating func usage(_ text: String, _ now: Date) -> [TUIEffect] {
        appendSystem(.error, "Usage: \(text)", at: now)
        return []
    }

    mutating func join(_ arg: String, now: Date) -> [TUIEffect] {
        guard !arg.isEmpty else { return usage("/join #channel", now) }
        if arg.hasPrefix("@") { return directMessage(to: String(arg.dropFirst()), text: "", now: now) }
        let name = ChannelName.normalize(arg)
        do {
            try ChannelName.validate(name)
        } catch {
            appendSystem(.error, "Cannot join: \(error.message)", at: now)
            return []
        }
        let (i, added) = ensureChannel(name)
        select(i)
        guard added else { return [] }
        return [.joinChannel(name)] + requestInitialHistory(i)
    }

    mutating func part(_ arg: String, now: Date) -> [TUIEffect] {
        let target: Int?
        if arg.isEmpty {
            target = channels.indices.contains(selected) ? selected : nil
        } else {
            let name = ChannelName.normalize(arg)
            target = channelIndex(named: name)
                ?? channels.firstIndex { displayName(of: $0.name) == arg }
        }
        guard let i = target else {
            appendSystem(.error, "Not in channel \(arg)", at: now)
            return []
        }
        guard channels.count > 1 else {
            appendSystem(.error, "Cannot leave the last channel (use /quit)", at: now)
            return []
        }
        let removed = channels.remove(at: i)
        if selected >= i { selected = max(0, selected - 1) }
        select(selected)
        return removed.isDirect ? [] : [.leaveChannel(removed.name)]
    }

    /// /msg: opens (and selects) the DM channel `@a+b`, sending `text` when given.
    mutating func directMessage(to rawNick: String, text: String, now: Date) -> [TUIEffect] {
        guard !rawNick.isEmpty else { return usage("/msg nick text", now) }
        let nick = rawNick.hasPrefix("@") ? String(rawNick.dropFirst()) : rawNick
        guard UserName.isValid(nick) else {
            appendSystem(.error, "Invalid nick '\(nick)'", at: now)
            return []
        }
        guard nick != me else {
            appendSystem(.error, "You cannot message yourself", at: now)
            return []
        }
        let (i, added) = ensureChannel(ChannelName.direct(me, nick))
        select(i)
        var effects = added ? requestInitialHistory(i) : []
        if !text.isEmpty {
            if isInputDisabled {
                appendSystem(.error, "You are blocked; messages are not sent.", at: now)
            } else {
                effects += sendMessage(text, to: i, now: now)
            }
        }
        return effects
    }

    /// Validates and sends an own message to channel `i`, showing it as pending.
    /// On a validation failure an error line is shown and no effect is returned.
    mutating func sendMessage(_ data: String, to i: Int, now: Date) -> [TUIEffect] {
        guard channels.indices.contains(i) else { return [] }
        let message = ChatMessage(channel: channels[i].name, author: me, data: data, timestamp: now)
        do {
            try message.validate()
        } catch {
            appendSystem(.error, "Not sent: \(error.message)", at: now, channel: i)
            return []
        }
        channels[i].append(ChatLine(message: message, me: me), limit: maxLinesPerChannel)
        channels[i].scroll = .bottom
        pending[message.id] = .pending
        quitConfirmationShown = false
        return [.send(message)]
    }
}
