import ChatModel

extension CellGrid {
    /// Puts one character at (row, col). Returns the columns used (0 when nothing was drawn).
    /// A wide character that would cross `limit` (exclusive column bound) is not drawn, so a
    /// wide character is never split. Overlapped halves of existing wide characters are blanked.
    @discardableResult
    mutating func put(_ ch: Character, row: Int, col: Int, style: CellStyle, limit: Int? = nil) -> Int {
        let end = min(limit ?? cols, cols)
        guard row >= 0, row < rows, col >= 0, col < end else { return 0 }
        var ch = ch
        if ch.unicodeScalars.contains(where: TerminalSanitizer.isUnsafe) { ch = "\u{FFFD}" }
        ch = Self.capped(ch)
        let w = DisplayWidth.of(ch)
        guard w > 0 else { return 0 }
        guard col + w <= end else { return 0 }
        clearOverlap(row: row, col: col)
        if w == 2 { clearOverlap(row: row, col: col + 1) }
        cells[row * cols + col] = Cell(ch, width: w, style: style)
        if w == 2 { cells[row * cols + col + 1] = .continuation(style) }
        return w
    }

    /// Writes `text` from (row, col), stopping before column `limit`. Returns columns used.
    @discardableResult
    mutating func write(_ text: String, row: Int, col: Int, style: CellStyle, limit: Int? = nil) -> Int {
        var x = col
        let end = min(limit ?? cols, cols)
        for ch in text {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if x + w > end { break }
            x += put(ch, row: row, col: x, style: style, limit: end)
        }
        return x - col
    }

    /// Writes `text`, replacing its tail with `…` when it is wider than `width` columns.
    @discardableResult
    mutating func writeTruncated(_ text: String, row: Int, col: Int, width: Int, style: CellStyle) -> Int {
        guard width > 0 else { return 0 }
        if DisplayWidth.of(text) <= width { return write(text, row: row, col: col, style: style, limit: col + width) }
        let used = write(text, row: row, col: col, style: style, limit: col + width - 1)
        return used + write("…", row: row, col: col + used, style: style, limit: col + width)
    }

    /// Fills columns `from..<to` of `row` with blanks in `style`.
    mutating func fill(row: Int, from: Int, to: Int, style: CellStyle) {
        guard row >= 0, row < rows else { return }
        let a = max(0, from), b = min(cols, to)
        guard a < b else { return }
        clearOverlap(row: row, col: a)
        if b < cols { clearOverlap(row: row, col: b - 1) }
        for x in a..<b { cells[row * cols + x] = Cell(" ", style: style) }
    }

    /// Most scalars a cell keeps ("Zalgo" text stacks hundreds of combining marks on one base).
    static let maxScalarsPerCell = 16

    static func capped(_ ch: Character) -> Character {
        let scalars = ch.unicodeScalars
        guard scalars.count > maxScalarsPerCell else { return ch }
        let prefix = String(String.UnicodeScalarView(scalars.prefix(maxScalarsPerCell)))
        return prefix.count == 1 ? prefix.first! : "\u{FFFD}"
    }

    /// Before overwriting (row, col): blank the other half of a wide character there.
    private mutating func clearOverlap(row: Int, col: Int) {
        let i = row * cols + col
        let cell = cells[i]
        if cell.isContinuation, col > 0 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        } else if cell.width == 2, col + 1 < cols {
            cells[i + 1] = Cell(" ", style: cell.style)
        }
    }
}
