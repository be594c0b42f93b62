extension TUIState {
    /// Rows moved by PgUp/PgDn: a page minus one line of overlap.
    var pageStep: Int { max(1, Layout(state: self).bodyRows - 2) }

    private func scroller(_ i: Int) -> Scroller {
        let layout = Layout(state: self)
        return Scroller(channel: channels[i], view: MessageView(state: self, layout: layout),
                        bodyRows: layout.bodyRows)
    }

    /// Scrolls the current channel up; at the top of what is loaded, asks for older history.
    mutating func scrollUp(rows: Int) -> [TUIEffect] {
        guard channels.indices.contains(selected) else { return [] }
        let sc = scroller(selected)
        let textRows = sc.scrolledTextRows
        var atTop = true
        if let last = sc.last {
            var p = sc.up(sc.anchoredBottom(channels[selected].scroll) ?? last, rows)
            let above = sc.rowsThrough(p, cap: textRows + 1)
            atTop = above <= textRows
            if above < textRows {
                p = sc.rowFromTop(textRows - 1) ?? last
            }
            channels[selected].scroll = p >= last ? .bottom : .anchored(line: p.line, row: p.row)
        }
        let channel = channels[selected]
        guard atTop, !channel.historyExhausted, !channel.historyRequested else { return [] }
        channels[selected].historyRequested = true
        return [.requestHistory(channel: channel.name, before: channel.oldestMessageID)]
    }

    mutating func scrollDown(rows: Int) {
        guard channels.indices.contains(selected) else { return }
        let sc = scroller(selected)
        guard let p = sc.anchoredBottom(channels[selected].scroll), let last = sc.last else {
            channels[selected].scroll = .bottom
            return
        }
        let q = sc.down(p, rows)
        channels[selected].scroll = q >= last ? .bottom : .anchored(line: q.line, row: q.row)
    }
}
