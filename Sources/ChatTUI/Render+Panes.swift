import ChatModel

/// Channel list: ` name (unread)`; selected reversed, unread bold, mention highlighted.
func renderChannelList(_ state: TUIState, _ layout: Layout, _ grid: inout CellGrid) {
    let width = layout.listWidth
    let rows = layout.bodyRows
    guard rows > 0 else { return }
    let offset = state.selected >= rows ? state.selected - rows + 1 : 0
    for (y, i) in (offset..<min(state.channels.count, offset + rows)).enumerated() {
        let channel = state.channels[i]
        var style = CellStyle.plain
        if channel.unread > 0 { style.bold = true }
        if channel.mentioned {
            style.bold = true
            style.fg = TermColor.brightMagenta
        }
        if i == state.selected { style.reverse = true }
        let row = layout.bodyTop + y
        grid.fill(row: row, from: 0, to: width, style: style)
        let count = channel.unread > 0 ? " (\(channel.unread > 999 ? "999+" : String(channel.unread)))" : ""
        let name = TerminalSanitizer.sanitize(state.displayName(of: channel.name).dropFirst(
            channel.isDirect ? 0 : 1).description)
        let used = grid.writeTruncated(" " + name, row: row, col: 0, width: width - count.count, style: style)
        grid.write(count, row: row, col: used, style: style, limit: width)
    }
}

/// Message pane: the newest rows (or the scrolled-to rows plus a -MORE(n)- marker).
func renderMessages(_ state: TUIState, _ layout: Layout, _ grid: inout CellGrid) {
    guard let channel = state.currentChannel, layout.bodyRows > 0, layout.paneWidth > 0 else { return }
    let view = MessageView(state: state, layout: layout)
    let sc = Scroller(channel: channel, view: view, bodyRows: layout.bodyRows)
    let anchored = sc.anchoredBottom(channel.scroll)
    guard let bottom = anchored ?? sc.last else { return }
    let textRows = anchored == nil ? layout.bodyRows : sc.scrolledTextRows
    let limit = layout.paneX + layout.paneWidth
    for (y, item) in sc.rows(endingAt: bottom, count: textRows).enumerated() {
        var x = layout.paneX + (item.row == 0 ? 0 : view.indent)
        for glyph in item.line.glyphs[item.line.rows[item.row]] {
            x += grid.put(glyph.ch, row: layout.bodyTop + y, col: x, style: glyph.style, limit: limit)
        }
    }
    if let anchored {
        let row = layout.bodyTop + layout.bodyRows - 1
        grid.fill(row: row, from: layout.paneX, to: limit, style: .plain)
        grid.write("-MORE(\(sc.linesBelow(anchored)))-", row: row, col: layout.paneX, style: Styles.more, limit: limit)
    }
}
