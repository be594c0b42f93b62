@preconcurrency import CNCursesW
import ChatModel
import ChatTUI

extension CursesScreen {
    /// Paints `grid` and places the cursor, with one `doupdate` per frame.
    ///
    /// Only rows that differ from the previous frame are repainted (everything after a size
    /// change, `invalidate()` or KEY_RESIZE). Cells outside the current window are clipped.
    public func draw(_ grid: CellGrid) {
        guard isOpen else { return }
        let size = self.size
        let rows = min(grid.rows, size.rows), cols = min(grid.cols, size.cols)
        let last = previous.flatMap { $0.rows == grid.rows && $0.cols == grid.cols ? $0 : nil }
        if last == nil { werase(window) }
        for r in 0..<rows where last == nil || grid.row(r) != last!.row(r) {
            drawRow(grid, row: r, cols: cols)
        }
        if let cursor = grid.cursor, (0..<rows).contains(cursor.row), (0..<cols).contains(cursor.col) {
            setCursor(visible: true)
            wmove(window, Int32(cursor.row), Int32(cursor.col))  // safe: cells of the terminal window, < Int32.max; widening
        } else {
            setCursor(visible: false)
        }
        wnoutrefresh(window)
        doupdate()
        previous = grid
    }

    private func drawRow(_ grid: CellGrid, row r: Int, cols: Int) {
        for c in 0..<cols {
            let cell = grid[r, c]
            if cell.isContinuation {
                // Normally covered by the wide character to its left; an orphan becomes a blank.
                if c == 0 || grid[r, c - 1].width != 2 { put([0x20], row: r, col: c, style: cell.style) }
                continue
            }
            let glyph = Self.glyph(for: cell, room: cols - c)
            put(glyph.scalars, row: r, col: c, style: cell.style)
            if let next = glyph.next, c + 1 < cols { put(next, row: r, col: c + 1, style: cell.style) }
        }
    }

    private func put(_ scalars: [wchar_t], row: Int, col: Int, style: CellStyle) {
        let (attr, pair) = colors.attributes(for: style)
        var cc = cchar_t()
        var text = scalars
        text.append(0)
        if setcchar(&cc, text, attr, pair, nil) != OK {
            _ = setcchar(&cc, [0xFFFD, 0], attr, pair, nil)
        }
        // The bottom-right cell returns ERR (the cursor cannot advance) but is drawn.
        _ = mvwadd_wch(window, Int32(row), Int32(col), &cc)  // safe: cells of the terminal window, < Int32.max; widening
    }

    private func setCursor(visible: Bool) {
        guard cursorVisible != visible else { return }
        cursorVisible = visible
        curs_set(visible ? 1 : 0)
    }

    /// What to hand ncurses for `cell`, so that ncurses' column count (glibc `wcwidth`) matches
    /// the grid's: the base scalar plus up to 4 zero-width marks (no ZWJ continuation, which
    /// ncurses cannot hold in one cell). `next`, when set, is drawn in the following column
    /// (which the grid holds as a continuation).
    ///
    /// - Any control, C1 or bidi-control scalar: U+FFFD (ChatTUI already sanitises; defensive).
    /// - Grid says 2 columns, wcwidth says 1: a flag (two regional indicators) is drawn as its
    ///   two halves in the two columns (terminals that join flags show the flag); anything else
    ///   (e.g. `❤️`) as the base alone plus a blank.
    /// - Any other disagreement (unassigned in glibc, wide where the grid says 1): U+FFFD.
    static func glyph(for cell: Cell, room: Int) -> (scalars: [wchar_t], next: [wchar_t]?) {
        if let a = cell.character.asciiValue, a >= 0x20, a < 0x7F { return ([wchar_t(a)], nil) }
        let want = cell.width == 2 && room >= 2 ? 2 : 1
        let scalars = cell.character.unicodeScalars
        let replacement: (scalars: [wchar_t], next: [wchar_t]?) = ([0xFFFD], want == 2 ? [0x20] : nil)
        guard let base = scalars.first,
              !scalars.contains(where: { TerminalSanitizer.isUnsafe($0) || $0.value == 0x7F }) else {
            return replacement
        }
        let width = Curses.width(base)
        if width == 1 && want == 2 {
            let rest = scalars.dropFirst()
            if rest.count == 1, let second = rest.first, isRegionalIndicator(base), isRegionalIndicator(second),
               Curses.width(second) == 1 {
                return ([wchar_t(bitPattern: base.value)], [wchar_t(bitPattern: second.value)])
            }
            return ([wchar_t(bitPattern: base.value)], [0x20])
        }
        guard width == want else { return replacement }
        var out = [wchar_t(bitPattern: base.value)]
        for s in scalars.dropFirst() {
            if out.count == Int(CCHARW_MAX) || s.value == 0x200D || Curses.width(s) != 0 { break }  // safe: cells of the terminal window, < Int32.max; widening
            out.append(wchar_t(bitPattern: s.value))
        }
        return (out, nil)
    }

    private static func isRegionalIndicator(_ s: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(s.value)
    }
}
