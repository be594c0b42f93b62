@preconcurrency import CNCursesW
import ChatTUI

/// One result of `wget_wch`: a character (Unicode scalar) or a KEY_* code.
enum RawInput: Equatable {
    case scalar(UInt32)
    case code(Int32)
}

extension CursesScreen {
    /// Most characters decoded in one go (a paste is split into batches of this many scalars).
    static let maxBatchScalars = 4096

    /// Waits up to `timeoutMs` (0 = poll, negative = block; a blocking read may not notice
    /// SIGINT until the next key, so poll with a timeout) for the next key.
    ///
    /// Printable input is read in runs and split into grapheme clusters, so a base character and
    /// its combining marks, an emoji ZWJ sequence or a flag typed or pasted together become one
    /// `.char`. Keys with no meaning (other C0/C1 controls, unknown function keys, mouse
    /// buttons other than the wheel) are skipped. A pending SIGINT is reported as `.ctrl("c")`.
    public func readKey(timeoutMs: Int32) -> Key? {
        guard isOpen else { return nil }
        if TerminalGuard.takeInterrupt() { return .ctrl("c") }
        if let key = dequeue() { return key }
        var timeout = timeoutMs
        while true {
            guard let raw = nextRaw(timeout: timeout) else {
                return TerminalGuard.takeInterrupt() ? .ctrl("c") : nil
            }
            timeout = 0
            if case .scalar(let v) = raw, let first = Self.printable(v) {
                return readText(startingWith: first)
            }
            if raw == .scalar(0x1B), let paste = readPasteAfterEscape() { return paste }
            if case .code(let code) = raw, code > 0, code == pasteCodes.start { return .paste(readPasteBody()) }
            if let key = decode(raw) { return key }
        }
    }

    // MARK: Bracketed paste

    static let pasteStartSequence = "\u{1B}[200~"
    static let pasteEndSequence = "\u{1B}[201~"
    /// Longest paste kept (a message holds 4 KiB; the input line shows what is too long).
    static let maxPasteScalars = 65_536

    /// After an Esc: the rest of ESC[200~ and the pasted text up to ESC[201~, or nil (and the
    /// scalars read are given back) when the Esc was a key of its own.
    private func readPasteAfterEscape() -> Key? {
        var consumed: [RawInput] = []
        for expected in Self.pasteStartSequence.unicodeScalars.dropFirst() {
            guard let raw = nextRaw(timeout: 30) else { break }
            consumed.append(raw)
            guard raw == .scalar(expected.value) else { break }
        }
        guard consumed.count == Self.pasteStartSequence.unicodeScalars.count - 1,
              consumed.last == .scalar(0x7E) else {
            lookahead.insert(contentsOf: consumed, at: 0)
            return nil
        }
        return .paste(readPasteBody())
    }

    /// The pasted text up to the end marker (or a pause of a second), CR and CRLF as `\n`.
    /// Function keys inside a paste are dropped; control characters are left for the input line
    /// to make visible.
    private func readPasteBody() -> String {
        let end = Array(Self.pasteEndSequence.unicodeScalars.map(\.value))
        var scalars = String.UnicodeScalarView()
        var kept = 0
        var matched = 0
        func keep(_ v: UInt32) {
            guard kept < Self.maxPasteScalars, let s = Unicode.Scalar(v) else { return }
            scalars.append(s)
            kept += 1
        }
        while let raw = nextRaw(timeout: 1000) {
            if case .code(let code) = raw, code > 0, code == pasteCodes.end { break }
            guard case .scalar(let v) = raw else { continue }
            if v == end[matched] {
                matched += 1
                if matched == end.count { break }
                continue
            }
            for earlier in end[0..<matched] { keep(earlier) }
            matched = v == end[0] ? 1 : 0
            if matched == 0 { keep(v) }
        }
        return String(scalars).replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Reads every printable scalar already available after `first` and queues the clusters.
    private func readText(startingWith first: Unicode.Scalar) -> Key? {
        var scalars = String.UnicodeScalarView()
        scalars.append(first)
        var count = 1
        while count < Self.maxBatchScalars, let raw = nextRaw(timeout: 0) {
            guard case .scalar(let v) = raw, let s = Self.printable(v) else {
                lookahead.insert(raw, at: 0)
                break
            }
            scalars.append(s)
            count += 1
        }
        let clusters = String(scalars)
        pendingKeys = clusters.map { Key.char($0) }
        pendingIndex = 0
        return dequeue()
    }

    private func dequeue() -> Key? {
        guard pendingIndex < pendingKeys.count else { return nil }
        let key = pendingKeys[pendingIndex]
        pendingIndex += 1
        if pendingIndex == pendingKeys.count {
            pendingKeys.removeAll(keepingCapacity: true)
            pendingIndex = 0
        }
        return key
    }

    private func nextRaw(timeout: Int32) -> RawInput? {
        if !lookahead.isEmpty { return lookahead.removeFirst() }
        wtimeout(window, timeout)
        var value: wint_t = 0
        switch wget_wch(window, &value) {
        case OK: return .scalar(UInt32(value))  // safe: wint_t is UInt32; v is 1...26
        case KEY_CODE_YES: return .code(Int32(bitPattern: UInt32(value)))
        default: return nil
        }
    }

    /// A scalar that may be inserted as text (not C0, DEL, C1, surrogate or out of range).
    static func printable(_ v: UInt32) -> Unicode.Scalar? {
        guard v >= 0x20, !(0x7F...0x9F).contains(v), let s = Unicode.Scalar(v) else { return nil }
        return s
    }

    func decode(_ raw: RawInput) -> Key? {
        switch raw {
        case .scalar(let v): return Self.controlKey(v)
        case .code(let code): return functionKey(code)
        }
    }

    /// C0 controls: Enter, Tab, Backspace, Esc, Ctrl-letters; anything else is ignored.
    static func controlKey(_ v: UInt32) -> Key? {
        switch v {
        case 10, 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 27: return .esc
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(v) + 0x60)))  // safe: wint_t is UInt32; v is 1...26
        default: return nil
        }
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_FIND, KEY_A1: return .home
        case KEY_END, KEY_SELECT, KEY_C1: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_RESIZE:
            invalidate()
            let size = self.size
            return .resize(cols: size.cols, rows: size.rows)
        case KEY_MOUSE: return mouseKey()
        default: return nil
        }
    }

    private func mouseKey() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        if event.bstate & Curses.button4Pressed != 0 { return .mouseWheelUp }
        if event.bstate & Curses.button5Pressed != 0 { return .mouseWheelDown }
        return nil
    }
}
