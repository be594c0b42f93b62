import ChatModel
import Foundation

/// Where the message pane of a channel is scrolled to.
public enum ScrollPosition: Sendable, Equatable {
    /// Following the newest line.
    case bottom
    /// Scrolled up: the bottom text row of the view is wrapped row `row` of `lines[line]`.
    /// Anchoring to a line (not to a row count) keeps scrolling O(page) and keeps the view
    /// still while new lines arrive.
    case anchored(line: Int, row: Int)
}

/// One joined channel (or DM) and its scrollback.
public struct ChannelState: Sendable, Equatable {
    public let name: String
    public private(set) var lines: [ChatLine] = []
    /// Lines from others received while this channel was not selected.
    public var unread = 0
    /// Someone mentioned me (or DMed me) while this channel was not selected.
    public var mentioned = false
    public var scroll: ScrollPosition = .bottom
    /// A history answer has arrived at least once.
    public var historyLoaded = false
    /// A history request is in flight (no second one is issued).
    public var historyRequested = false
    /// The last history answer was empty: nothing older exists.
    public var historyExhausted = false
    /// Nicks seen here, most recent first (for Tab completion).
    public private(set) var nicks: [String] = []
    private(set) var ids: Set<String> = []

    public init(name: String) {
        self.name = name
    }

    public var isScrolledUp: Bool { scroll != .bottom }
    public var isDirect: Bool { ChannelName.isDirect(name) }

    public func contains(id: String) -> Bool { ids.contains(id) }

    /// Id of the oldest message line (for `requestHistory(before:)`).
    public var oldestMessageID: String? {
        lines.first { $0.id != nil }?.id
    }

    /// Appends a line, remembering its id and author, and trims the oldest lines beyond `limit`
    /// (in chunks of 10%, so trimming is amortised O(1)).
    public mutating func append(_ line: ChatLine, limit: Int = 100_000) {
        lines.append(line)
        if let id = line.id { ids.insert(id) }
        if !line.author.isEmpty { noteNick(line.author) }
        let chunk = max(1, limit / 10)
        if lines.count > limit + chunk { trimFront(lines.count - limit) }
    }

    /// Moves `nick` to the front of the completion list.
    public mutating func noteNick(_ nick: String) {
        if nicks.first == nick { return }
        if let i = nicks.firstIndex(of: nick) { nicks.remove(at: i) }
        nicks.insert(nick, at: 0)
        if nicks.count > 500 { nicks.removeLast() }
    }

    /// Replaces the message line with `id` (searching from the newest); false when absent.
    mutating func replaceLine(id: String, with line: ChatLine) -> Bool {
        guard let i = lines.lastIndex(where: { $0.id == id }) else { return false }
        lines[i] = line
        return true
    }

    /// Inserts older messages by timestamp, skipping ids already present. Returns how many
    /// were inserted. Keeps a scroll anchor pointing at the same line.
    @discardableResult
    mutating func mergeHistory(_ messages: [ChatMessage], me: String) -> Int {
        var seen = ids
        let fresh = messages.filter { seen.insert($0.id).inserted }
            .sorted { $0.timestamp < $1.timestamp }
        guard !fresh.isEmpty else { return 0 }
        let newLines = fresh.map { ChatLine(message: $0, me: me) }
        ids = seen
        for m in fresh.reversed() where !nicks.contains(m.author) {
            if nicks.count < 500 { nicks.append(TerminalSanitizer.sanitize(m.author)) }
        }
        if lines.isEmpty || newLines[newLines.count - 1].timestamp <= lines[0].timestamp {
            lines.insert(contentsOf: newLines, at: 0)
            if case .anchored(let l, let r) = scroll { scroll = .anchored(line: l + newLines.count, row: r) }
            return newLines.count
        }
        var merged: [ChatLine] = []
        merged.reserveCapacity(lines.count + newLines.count)
        var a = 0, b = 0
        var anchorLine: Int?
        if case .anchored(let l, _) = scroll { anchorLine = l }
        var newAnchor: Int?
        while a < lines.count || b < newLines.count {
            if b >= newLines.count || (a < lines.count && lines[a].timestamp <= newLines[b].timestamp) {
                if a == anchorLine { newAnchor = merged.count }
                merged.append(lines[a])
                a += 1
            } else {
                merged.append(newLines[b])
                b += 1
            }
        }
        lines = merged
        if case .anchored(_, let r) = scroll, let newAnchor { scroll = .anchored(line: newAnchor, row: r) }
        return newLines.count
    }

    private mutating func trimFront(_ count: Int) {
        for line in lines[0..<count] { if let id = line.id { ids.remove(id) } }
        lines.removeFirst(count)
        historyExhausted = false
        if case .anchored(let l, let r) = scroll {
            scroll = l - count < 0 ? .anchored(line: 0, row: 0) : .anchored(line: l - count, row: r)
        }
    }
}
