@preconcurrency import CNCursesW
import ChatTUI

/// Colour pairs, allocated lazily: one pair per (fg, bg) combination actually drawn.
///
/// `CellStyle` colours are -1 (terminal default) or 0-15. On terminals with fewer than 16 colours
/// the bright variants 8-15 become `index - 8` plus bold (foreground) or plain (background).
/// Without `use_default_colors`, -1 means white on black. Without colours (or when pairs run
/// out) pair 0 is used and only the attributes remain.
struct ColorPairs {
    private(set) var enabled: Bool
    private let defaultColors: Bool
    private let colorCount: Int
    private let pairLimit: Int
    private var pairs: [Int: Int16] = [:]
    private var nextPair = 1

    /// Calls `start_color` and `use_default_colors` when the terminal has colours.
    static func start() -> ColorPairs {
        guard has_colors() else { return ColorPairs(enabled: false, defaultColors: false, colorCount: 0, pairLimit: 0) }
        start_color()
        let defaults = use_default_colors() == OK
        return ColorPairs(enabled: true, defaultColors: defaults, colorCount: Curses.colorCount,
                          pairLimit: min(Curses.colorPairCount, Int(Int16.max)))  // safe: pairs < pairLimit <= Int16.max; colours clamped to -1...15
    }

    private init(enabled: Bool, defaultColors: Bool, colorCount: Int, pairLimit: Int) {
        self.enabled = enabled && colorCount >= 8
        self.defaultColors = defaultColors
        self.colorCount = colorCount
        self.pairLimit = pairLimit
    }

    /// The ncurses attributes and pair number for `style`.
    mutating func attributes(for style: CellStyle) -> (attr: attr_t, pair: Int16) {
        var attr: attr_t = 0
        if style.bold { attr |= Curses.bold }
        if style.dim { attr |= Curses.dim }
        if style.reverse { attr |= Curses.reverse }
        if style.underline { attr |= Curses.underline }
        guard enabled else { return (attr, 0) }
        var fg = Self.clamp(style.fg), bg = Self.clamp(style.bg)
        if colorCount < 16 {
            if fg >= 8 {
                fg -= 8
                attr |= Curses.bold
            }
            if bg >= 8 { bg -= 8 }
        }
        if !defaultColors {
            if fg < 0 { fg = 7 }
            if bg < 0 { bg = 0 }
        }
        return (attr, pair(fg: fg, bg: bg))
    }

    private static func clamp(_ c: Int) -> Int { (0...15).contains(c) ? c : -1 }

    private mutating func pair(fg: Int, bg: Int) -> Int16 {
        if fg < 0 && bg < 0 { return 0 }
        let key = (fg + 1) * 32 + (bg + 1)
        if let existing = pairs[key] { return existing }
        guard nextPair < pairLimit else { return 0 }
        let number = Int16(nextPair)  // safe: pairs < pairLimit <= Int16.max; colours clamped to -1...15
        guard init_pair(number, Int16(fg), Int16(bg)) == OK else {  // safe: pairs < pairLimit <= Int16.max; colours clamped to -1...15
            pairs[key] = 0
            return 0
        }
        nextPair += 1
        pairs[key] = number
        return number
    }
}
