import ChatModel
import Foundation

extension TUIState {
    mutating func handleKey(_ key: Key, now: Date) -> [TUIEffect] {
        switch key {
        case .char(let c):
            // While blocked only /commands can be typed.
            if isInputDisabled, !(input.chars.first == "/" || (input.isEmpty && c == "/")) { return [] }
            input.insert(c)
        case .enter: return submit(now: now)
        case .backspace, .ctrl("h"): input.backspace()
        case .delete, .ctrl("d"): input.deleteForward()
        case .left, .ctrl("b"): input.left()
        case .right, .ctrl("f"): input.right()
        case .home, .ctrl("a"): input.home()
        case .end, .ctrl("e"): input.end()
        case .ctrl("u"): input.killToStart()
        case .ctrl("k"): input.killToEnd()
        case .ctrl("w"): input.deleteWordBackward()
        case .ctrl("p"):
            if let line = history.older(current: input.text) { input.set(line) }
        case .ctrl("n"):
            if let line = history.newer() { input.set(line) }
        case .ctrl("c"): return requestQuit(now: now)
        case .up: select(max(0, selected - 1))
        case .down: select(min(channels.count - 1, selected + 1))
        case .pageUp: return scrollUp(rows: pageStep)
        case .pageDown: scrollDown(rows: pageStep)
        case .mouseWheelUp: return scrollUp(rows: 3)
        case .mouseWheelDown: scrollDown(rows: 3)
        case .tab: complete()
        case .esc:
            if warning != nil {
                warning = nil
            } else if channels.indices.contains(selected) {
                channels[selected].scroll = .bottom
            }
        case .paste(let text):
            // A blocked user can only type /commands, and a paste is never one.
            if isInputDisabled { return [] }
            input.insertPaste(text)
        case .resize(let cols, let rows):
            size = TermSize(cols: max(0, cols), rows: max(0, rows))
        case .ctrl:
            break
        }
        return []
    }

    /// Enter: run a command or send the line as a message. Empty input does nothing.
    mutating func submit(now: Date) -> [TUIEffect] {
        let text = input.text
        if text.allSatisfy(\.isWhitespace) { return [] }
        if text.hasPrefix("/"), !text.hasPrefix("//"), !input.hasPaste {
            history.add(text)
            input.clear()
            return runCommand(text, now: now)
        }
        if isInputDisabled {
            appendSystem(.error, "You are blocked; messages are not sent (\(blockReason ?? "")).", at: now)
            return []
        }
        let body = text.hasPrefix("//") && !input.hasPaste ? String(text.dropFirst()) : text
        let effects = sendMessage(body, to: selected, now: now)
        if !effects.isEmpty {
            history.add(text)
            input.clear()
        }
        return effects
    }

    /// Tab: complete the word before the cursor with nicks seen in this channel (most recent
    /// speaker first); repeated Tab cycles. At the start of the line a `": "` suffix is added,
    /// elsewhere a space. A leading `@` is kept.
    mutating func complete() {
        if var c = completion {
            c.index = (c.index + 1) % c.candidates.count
            apply(c)
            completion = c
            return
        }
        guard let channel = currentChannel else { return }
        var start = input.cursor
        while start > 0, !input.chars[start - 1].isWhitespace { start -= 1 }
        if start < input.cursor, input.chars[start] == "@" { start += 1 }
        let prefix = String(input.chars[start..<input.cursor]).lowercased()
        guard !prefix.isEmpty else { return }
        let candidates = channel.nicks.filter { $0 != me && $0.lowercased().hasPrefix(prefix) }
        guard !candidates.isEmpty else { return }
        let c = Completion(original: input, wordStart: start, candidates: candidates, index: 0)
        apply(c)
        completion = c
    }

    private mutating func apply(_ c: Completion) {
        var line = c.original
        let nick = c.candidates[c.index]
        let suffix = c.wordStart == 0 ? ": " : " "
        let end = c.original.cursor
        // Drop a space already following the word so we do not double it.
        let hasSpace = end < line.chars.count && line.chars[end] == " "
        line.replace(c.wordStart..<end, with: nick + (hasSpace ? suffix.trimmingCharacters(in: .whitespaces) : suffix))
        if hasSpace { line.right() }
        input = line
    }
}
