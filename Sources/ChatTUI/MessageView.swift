import ChatModel
import Foundation

/// One drawable grapheme with its width and style. `isBreak` marks a hard line break.
struct Glyph {
    var ch: Character
    var width: Int
    var style: CellStyle
    var isBreak: Bool { width == 0 }
}

/// A chat line laid out for a pane width: its glyphs and the glyph range of each screen row.
/// Row 0 starts at the pane's left edge; later rows start at `indent`.
struct WrappedLine {
    var glyphs: [Glyph]
    var rows: [Range<Int>]
}

/// Lays out chat lines for the message pane. Used by both `render` and the scrolling code
/// in the reducer, so they agree on row counts.
struct MessageView {
    let width: Int
    let indent: Int
    let zone: TimeZone
    let pending: [String: DeliveryStatus]

    init(state: TUIState, layout: Layout) {
        width = layout.paneWidth
        indent = layout.wrapIndent
        zone = state.timeZone
        pending = state.pending
    }

    func glyphs(for line: ChatLine) -> [Glyph] {
        var out: [Glyph] = []
        out.reserveCapacity(line.text.utf8.count + 24)
        func add(_ s: String, _ style: CellStyle) {
            for ch in s {
                if ch == "\n" { out.append(Glyph(ch: ch, width: 0, style: style)); continue }
                let w = DisplayWidth.of(ch)
                if w > 0 { out.append(Glyph(ch: ch, width: w, style: style)) }
            }
        }
        add(Clock.hhmm(line.timestamp, zone) + " ", Styles.time)
        let status = line.id.flatMap { pending[$0] }
        var textStyle = line.mentionsMe ? Styles.mention : CellStyle.plain
        if status == .pending { textStyle = Styles.pending }
        let nickStyle = CellStyle(fg: NickColor.of(line.author), bold: true)
        switch line.kind {
        case .message:
            add(line.author, nickStyle)
            add(": ", .plain)
            add(line.text, textStyle)
        case .action:
            add("* ", Styles.action)
            add(line.author, nickStyle)
            add(" ", .plain)
            add(line.text, line.mentionsMe ? Styles.mention : (status == .pending ? Styles.pending : Styles.action))
        case .system(let kind):
            let (marker, style) = Self.systemLook(kind)
            add(marker, style)
            add(line.text, style)
        }
        switch status {
        case .pending?: add(" …", Styles.pending)
        case .failed(let reason)?: add(" ✗ failed: " + TerminalSanitizer.sanitize(reason), Styles.failed)
        default: break
        }
        return out
    }

    static func systemLook(_ kind: SystemKind) -> (String, CellStyle) {
        switch kind {
        case .info: return ("-- ", Styles.info)
        case .join: return ("--> ", Styles.join)
        case .leave: return ("<-- ", Styles.leave)
        case .block: return ("!! ", Styles.block)
        case .error: return ("!! ", Styles.error)
        case .help: return ("", .plain)
        }
    }

    func layout(_ line: ChatLine) -> WrappedLine {
        let g = glyphs(for: line)
        return WrappedLine(glyphs: g, rows: Self.wrap(g, width: width, indent: indent))
    }

    func rowCount(_ line: ChatLine) -> Int { layout(line).rows.count }

    /// Greedy word wrap: breaks after spaces when possible, otherwise between characters
    /// (never inside a character). Spaces at a soft break are dropped. Always >= 1 row.
    static func wrap(_ g: [Glyph], width: Int, indent: Int) -> [Range<Int>] {
        var rows: [Range<Int>] = []
        var start = 0
        let n = g.count
        while true {
            let avail = max(1, rows.isEmpty ? width : width - indent)
            var used = 0, j = start
            var lastSpace: Int?
            while j < n, !g[j].isBreak, used + g[j].width <= avail {
                if g[j].ch == " " { lastSpace = j }
                used += g[j].width
                j += 1
            }
            if j >= n { rows.append(start..<n); return rows }
            if g[j].isBreak {
                rows.append(start..<j)
                start = j + 1
                if start >= n { rows.append(n..<n); return rows }
                continue
            }
            var end = j
            if g[j].ch != " ", let s = lastSpace, s > start {
                // Break at the last space unless the word is too long for a whole row anyway.
                var wordWidth = 0, k = s + 1
                while k < n, !g[k].isBreak, g[k].ch != " ", wordWidth <= width - indent {
                    wordWidth += g[k].width
                    k += 1
                }
                if wordWidth <= width - indent { end = s }
            }
            if end == start { end = start + 1 }  // a glyph wider than the row: take it alone
            var trimmed = end
            while trimmed > start, g[trimmed - 1].ch == " " { trimmed -= 1 }
            rows.append(start..<trimmed)
            start = end
            while start < n, g[start].ch == " " { start += 1 }
            if start >= n { return rows }
        }
    }
}
