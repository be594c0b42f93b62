/// Colour indices (ncurses numbering; -1 = terminal default). Indices 8-15 are the bright
/// variants; a driver on an 8-colour terminal can use `index % 8` plus bold.
public enum TermColor {
    public static let `default` = -1
    public static let black = 0, red = 1, green = 2, yellow = 3, blue = 4, magenta = 5, cyan = 6, white = 7
    public static let brightBlack = 8, brightRed = 9, brightGreen = 10, brightYellow = 11
    public static let brightBlue = 12, brightMagenta = 13, brightCyan = 14, brightWhite = 15
}

/// Visual attributes of one cell.
public struct CellStyle: Sendable, Hashable {
    public var fg: Int
    public var bg: Int
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(fg: Int = TermColor.default, bg: Int = TermColor.default, bold: Bool = false,
                dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = CellStyle()
}

/// One screen cell. A wide character (width 2) is stored in its first column; the second
/// column holds a continuation cell (`width == 0`, `isContinuation`) that the driver skips.
public struct Cell: Sendable, Equatable {
    /// One grapheme cluster; never contains control or bidi-override scalars.
    public var character: Character
    /// 1 or 2 for a character, 0 for the continuation half of a wide character.
    public var width: Int
    public var style: CellStyle

    public init(_ character: Character, width: Int = 1, style: CellStyle = .plain) {
        self.character = character
        self.width = width
        self.style = style
    }

    public var isContinuation: Bool { width == 0 }

    public static let blank = Cell(" ")
    static func continuation(_ style: CellStyle) -> Cell { Cell(" ", width: 0, style: style) }
}

/// Where the terminal cursor should be placed (0-based).
public struct CursorPosition: Sendable, Equatable {
    public var row: Int
    public var col: Int
    public init(row: Int, col: Int) {
        self.row = row
        self.col = col
    }
}

/// The rendered screen: `rows` x `cols` cells (row-major) plus the cursor (nil = hide it).
public struct CellGrid: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public internal(set) var cells: [Cell]
    public var cursor: CursorPosition?

    public init(size: TermSize) {
        rows = max(0, size.rows)
        cols = max(0, size.cols)
        cells = Array(repeating: .blank, count: rows * cols)
    }

    public var size: TermSize { TermSize(cols: cols, rows: rows) }

    public subscript(row: Int, col: Int) -> Cell {
        cells[row * cols + col]
    }

    /// The cells of one row.
    public func row(_ r: Int) -> ArraySlice<Cell> {
        cells[(r * cols)..<((r + 1) * cols)]
    }

    /// Text of row `r` (continuation cells skipped), full width.
    public func text(row r: Int) -> String {
        var s = ""
        for cell in row(r) where !cell.isContinuation { s.append(cell.character) }
        return s
    }

    /// Text of every row with trailing spaces removed (for assertions and debugging).
    public var lines: [String] {
        (0..<rows).map { r in
            var s = Substring(text(row: r))
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }
    }
}
