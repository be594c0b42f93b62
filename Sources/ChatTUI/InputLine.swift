import ChatModel

/// The editable input line: characters (graphemes) plus a cursor index in `0...chars.count`.
public struct InputLine: Sendable, Equatable {
    public private(set) var chars: [Character]
    public private(set) var cursor: Int
    /// True once text was pasted into the line (until it is cleared or replaced): the line is
    /// then a message even when it starts with `/`, and may hold line breaks (`"\n"`).
    public private(set) var hasPaste = false

    public init(_ text: String = "", cursor: Int? = nil) {
        chars = Array(text)
        self.cursor = min(max(0, cursor ?? chars.count), chars.count)
    }

    public var text: String { String(chars) }
    public var isEmpty: Bool { chars.isEmpty }

    /// Characters the input accepts: printable, no control or bidi-override scalars.
    public static func accepts(_ c: Character) -> Bool {
        !c.unicodeScalars.contains(where: TerminalSanitizer.isUnsafe)
    }

    public mutating func insert(_ c: Character) {
        guard Self.accepts(c) else { return }
        chars.insert(c, at: cursor)
        cursor += 1
    }

    public mutating func insert(contentsOf s: String) {
        for c in s { insert(c) }
    }

    /// Inserts pasted text: control and escape characters made visible (`TerminalSanitizer`),
    /// line breaks kept as `"\n"`.
    public mutating func insertPaste(_ text: String) {
        let safe = TerminalSanitizer.sanitize(text, newlines: .preserve)
        guard !safe.isEmpty else { return }
        for c in safe where c == "\n" || Self.accepts(c) {
            chars.insert(c, at: cursor)
            cursor += 1
        }
        hasPaste = true
    }

    /// UTF-8 bytes of the text (what the 4 KiB message limit counts).
    public var byteCount: Int { chars.reduce(0) { $0 + $1.utf8.count } }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        chars.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func deleteForward() {
        guard cursor < chars.count else { return }
        chars.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(chars.count, cursor + 1) }
    public mutating func home() { cursor = 0 }
    public mutating func end() { cursor = chars.count }

    /// Ctrl-U: delete everything before the cursor.
    public mutating func killToStart() {
        chars.removeFirst(cursor)
        cursor = 0
    }

    /// Ctrl-K: delete from the cursor to the end.
    public mutating func killToEnd() {
        chars.removeLast(chars.count - cursor)
    }

    /// Ctrl-W: delete the whitespace and then the word before the cursor.
    public mutating func deleteWordBackward() {
        var start = cursor
        while start > 0, chars[start - 1].isWhitespace { start -= 1 }
        while start > 0, !chars[start - 1].isWhitespace { start -= 1 }
        chars.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Replaces everything; the cursor goes to the end.
    public mutating func set(_ text: String) {
        self = InputLine(text)
    }

    public mutating func clear() { self = InputLine() }

    /// Replaces `range` of characters with `text`, leaving the cursor after the insertion.
    mutating func replace(_ range: Range<Int>, with text: String) {
        let new = Array(text)
        chars.replaceSubrange(range, with: new)
        cursor = range.lowerBound + new.count
    }
}

/// Submitted lines for Ctrl-P / Ctrl-N, with the unsent draft preserved.
public struct InputHistory: Sendable, Equatable {
    public private(set) var entries: [String] = []
    /// Position while browsing; nil while editing the draft.
    public private(set) var index: Int?
    private var draft = ""
    public var limit = 500

    public init() {}

    /// Records a submitted line (consecutive duplicates are kept once) and stops browsing.
    public mutating func add(_ line: String) {
        if entries.last != line { entries.append(line) }
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        index = nil
        draft = ""
    }

    /// Ctrl-P: the previous entry (saving `current` as the draft first); nil when none.
    public mutating func older(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        switch index {
        case nil:
            draft = current
            index = entries.count - 1
        case let i? where i > 0:
            index = i - 1
        default:
            return nil
        }
        return entries[index!]
    }

    /// Ctrl-N: the next entry, or the saved draft after the newest; nil when not browsing.
    public mutating func newer() -> String? {
        guard let i = index else { return nil }
        if i + 1 < entries.count {
            index = i + 1
            return entries[i + 1]
        }
        index = nil
        return draft
    }
}

/// State of a Tab-completion cycle.
public struct Completion: Sendable, Equatable {
    /// The input before the first Tab.
    var original: InputLine
    /// Where the completed word starts (after a leading `@`).
    var wordStart: Int
    var candidates: [String]
    var index: Int
}
