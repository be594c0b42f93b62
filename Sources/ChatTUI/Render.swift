import ChatModel

/// Draws the whole screen for `state` at `size`. Pure; cost is O(visible rows + channels),
/// independent of how much history a channel holds.
///
/// ```
/// [banner row, only when warned/blocked                                  ]
/// channel list (12-20 cols) │ HH:MM nick: text, wrapped, scrollback
///                           │ ... -MORE(n)- when scrolled up
/// [alice] #general | localhost:9092 | connected          (status, reversed)
/// > input text with horizontal scrolling                 (cursor here)
/// ```
/// Terminals smaller than 20x6 get a centred "Terminal too small" message instead.
public func render(_ state: TUIState, size: TermSize) -> CellGrid {
    var grid = CellGrid(size: size)
    let layout = Layout(size: size, hasBanner: state.banner != nil)
    if layout.isTooSmall {
        renderTooSmall(&grid)
        return grid
    }
    renderBanner(state, layout, &grid)
    if layout.listWidth > 0 {
        renderChannelList(state, layout, &grid)
        for y in layout.bodyTop..<(layout.bodyTop + layout.bodyRows) {
            grid.put("│", row: y, col: layout.listWidth, style: Styles.separator)
        }
    }
    renderMessages(state, layout, &grid)
    renderStatus(state, layout, &grid)
    renderInput(state, layout, &grid)
    return grid
}

func renderTooSmall(_ grid: inout CellGrid) {
    guard grid.rows > 0, grid.cols > 0 else { return }
    let text = "Terminal too small (\(grid.cols)x\(grid.rows)), need at least \(Layout.minCols)x\(Layout.minRows)"
    let glyphs = text.map { Glyph(ch: $0, width: DisplayWidth.of($0), style: .plain) }
    let rows = MessageView.wrap(glyphs, width: grid.cols, indent: 0)
    let top = max(0, (grid.rows - rows.count) / 2)
    for (i, range) in rows.prefix(grid.rows).enumerated() {
        let line = String(glyphs[range].map(\.ch))
        let x = max(0, (grid.cols - DisplayWidth.of(line)) / 2)
        grid.write(line, row: top + i, col: x, style: CellStyle(bold: true))
    }
    grid.cursor = nil
}

func renderBanner(_ state: TUIState, _ layout: Layout, _ grid: inout CellGrid) {
    guard let banner = state.banner else { return }
    let (text, style): (String, CellStyle)
    switch banner {
    case .warning(let t): (text, style) = (" " + t + "  (Esc to dismiss)", Styles.warningBanner)
    case .blocked(let reason): (text, style) = (" You are blocked: " + reason, Styles.blockBanner)
    }
    grid.fill(row: 0, from: 0, to: layout.cols, style: style)
    grid.writeTruncated(TerminalSanitizer.sanitize(text), row: 0, col: 0, width: layout.cols, style: style)
}

func renderStatus(_ state: TUIState, _ layout: Layout, _ grid: inout CellGrid) {
    let row = layout.statusRow
    grid.fill(row: row, from: 0, to: layout.cols, style: Styles.status)
    let channel = state.currentChannel.map { state.displayName(of: $0.name) } ?? "-"
    var connection = state.connection.label
    if !state.connection.isConnected, state.queuedCount > 0 { connection += " (\(state.queuedCount) queued)" }
    let head = TerminalSanitizer.sanitize("[\(state.me)] \(channel) | \(state.broker) | ")
    let used = grid.writeTruncated(head, row: row, col: 0, width: layout.cols, style: Styles.status)
    let style: CellStyle
    switch state.connection {
    case .connected: style = Styles.status
    case .connecting: style = Styles.statusConnecting
    case .disconnected: style = Styles.statusBad
    }
    grid.writeTruncated(TerminalSanitizer.sanitize(connection), row: row, col: used,
                        width: layout.cols - used, style: style)
}

/// Input line: `> ` prompt (`< ` when scrolled horizontally) and the text around the cursor.
func renderInput(_ state: TUIState, _ layout: Layout, _ grid: inout CellGrid) {
    let row = layout.inputRow
    let promptWidth = 2
    var avail = layout.cols - promptWidth
    let chars = state.input.chars
    let cursor = state.input.cursor
    if state.isInputDisabled && chars.isEmpty {
        grid.write("> ", row: row, col: 0, style: .plain)
        grid.writeTruncated("input disabled (you are blocked); /quit to exit", row: row, col: promptWidth,
                            width: avail, style: Styles.disabled)
        grid.cursor = CursorPosition(row: row, col: promptWidth)
        return
    }
    // Near the 4 KiB limit the line says how much is left, before Enter would fail.
    let bytes = state.input.byteCount
    if bytes * 4 >= ChatMessage.maxDataBytes * 3 {
        let over = bytes > ChatMessage.maxDataBytes
        let counter = over ? " \(bytes)/\(ChatMessage.maxDataBytes) too long" : " \(bytes)/\(ChatMessage.maxDataBytes)"
        let width = min(counter.count, max(0, avail - 1))
        if width > 0 {
            grid.writeTruncated(counter, row: row, col: layout.cols - width, width: width,
                                style: over ? Styles.error : Styles.time)
            avail -= width
        }
    }
    // A pasted line break shows as ⏎ (one column).
    let shown = chars.map { $0 == "\n" ? TerminalSanitizer.newlineSymbol : $0 }
    let widths = shown.map { DisplayWidth.of($0) }
    // First visible character: as far left as possible while the cursor stays on screen.
    var start = cursor, before = 0
    while start > 0, before + widths[start - 1] <= avail - 1 {
        start -= 1
        before += widths[start]
    }
    grid.write(start > 0 ? "< " : "> ", row: row, col: 0, style: .plain)
    var x = promptWidth
    var cursorCol = promptWidth
    for i in start..<shown.count {
        if i == cursor { cursorCol = x }
        if widths[i] == 0 { continue }
        if x + widths[i] > promptWidth + avail { break }
        x += grid.put(shown[i], row: row, col: x, style: .plain)
    }
    if cursor >= chars.count { cursorCol = x }
    grid.cursor = CursorPosition(row: row, col: min(cursorCol, layout.cols - 1))
}
