/// A wrapped row of a channel: row `row` of `lines[line]`.
struct RowPos: Equatable, Comparable {
    var line: Int
    var row: Int
    static func < (a: RowPos, b: RowPos) -> Bool {
        a.line != b.line ? a.line < b.line : a.row < b.row
    }
}

/// Scroll arithmetic over wrapped rows. Every operation only lays out the lines it walks
/// over (O(rows moved + rows visible)), never the whole history.
struct Scroller {
    let lines: [ChatLine]
    let view: MessageView
    /// Rows of the message pane.
    let bodyRows: Int

    init(channel: ChannelState, view: MessageView, bodyRows: Int) {
        lines = channel.lines
        self.view = view
        self.bodyRows = bodyRows
    }

    /// Text rows while scrolled up (the last pane row shows the -MORE(n)- marker).
    var scrolledTextRows: Int { max(1, bodyRows - 1) }

    func rowCount(_ line: Int) -> Int { view.rowCount(lines[line]) }

    /// The newest row, nil when there are no lines.
    var last: RowPos? {
        lines.isEmpty ? nil : RowPos(line: lines.count - 1, row: rowCount(lines.count - 1) - 1)
    }

    func up(_ p: RowPos, _ count: Int) -> RowPos {
        var l = p.line, r = p.row, k = count
        while k > 0 {
            if r >= k {
                r -= k; k = 0
            } else if l > 0 {
                k -= r + 1; l -= 1; r = rowCount(l) - 1
            } else {
                r = 0; k = 0
            }
        }
        return RowPos(line: l, row: r)
    }

    func down(_ p: RowPos, _ count: Int) -> RowPos {
        var l = p.line, r = p.row, k = count
        while k > 0 {
            let remain = rowCount(l) - 1 - r
            if remain >= k {
                r += k; k = 0
            } else if l < lines.count - 1 {
                k -= remain + 1; l += 1; r = 0
            } else {
                r += max(0, remain); k = 0
            }
        }
        return RowPos(line: l, row: r)
    }

    /// Rows from the very top through `p` inclusive, counting no further than `cap`.
    func rowsThrough(_ p: RowPos, cap: Int) -> Int {
        var count = p.row + 1
        var l = p.line - 1
        while count < cap, l >= 0 {
            count += rowCount(l)
            l -= 1
        }
        return count
    }

    /// The `k`-th row (0-based) from the top, nil when there are not that many rows.
    func rowFromTop(_ k: Int) -> RowPos? {
        var remaining = k
        for l in lines.indices {
            let rc = rowCount(l)
            if remaining < rc { return RowPos(line: l, row: remaining) }
            remaining -= rc
        }
        return nil
    }

    /// The effective bottom row of a scrolled view, or nil when the view follows the newest
    /// line (not scrolled, scrolled to the end, or everything fits on screen). Clamps stale
    /// anchors (after a resize or trimming) and never leaves blank rows above the content.
    func anchoredBottom(_ scroll: ScrollPosition) -> RowPos? {
        guard case .anchored(let line, let row) = scroll, let last else { return nil }
        let l = min(max(0, line), lines.count - 1)
        var p = RowPos(line: l, row: min(max(0, row), rowCount(l) - 1))
        if p >= last { return nil }
        if rowsThrough(p, cap: scrolledTextRows) < scrolledTextRows {
            guard let q = rowFromTop(scrolledTextRows - 1), q < last else { return nil }
            p = q
        }
        return p
    }

    /// Lines (partly or wholly) below the view for the -MORE(n)- marker.
    func linesBelow(_ p: RowPos) -> Int {
        lines.count - 1 - p.line + (p.row < rowCount(p.line) - 1 ? 1 : 0)
    }

    /// Up to `count` rows ending at `p`, top to bottom.
    func rows(endingAt p: RowPos, count: Int) -> [(line: WrappedLine, row: Int)] {
        var out: [(line: WrappedLine, row: Int)] = []
        var l = p.line
        while l >= 0, out.count < count {
            let w = view.layout(lines[l])
            var r = l == p.line ? min(p.row, w.rows.count - 1) : w.rows.count - 1
            while r >= 0, out.count < count {
                out.append((w, r))
                r -= 1
            }
            l -= 1
        }
        return out.reversed()
    }
}
