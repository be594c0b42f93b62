/// Terminal column width of grapheme clusters.
///
/// - 2: East Asian Wide / Fullwidth (CJK, Hangul, kana, fullwidth forms, ...), emoji with
///   default emoji presentation, any emoji followed by VS16 (U+FE0F), flags, keycaps,
///   ZWJ sequences (one cluster = one glyph).
/// - 0: clusters starting with a control, combining mark, or format character (the renderer
///   skips them; controls must be sanitized before rendering anyway).
/// - 1: everything else. Ambiguous-width characters count as 1 (as glibc's wcwidth does
///   in non-CJK locales).
public enum DisplayWidth {
    public static func of(_ c: Character) -> Int {
        if let a = c.asciiValue, a >= 0x20, a < 0x7F { return 1 }
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let props = first.properties
        var emojiVariation = false
        for s in scalars.dropFirst() {
            switch s.value {
            case 0xFE0E: return scalarWidth(first)  // text presentation requested
            case 0xFE0F, 0x20E3: emojiVariation = true  // emoji presentation / keycap
            default: break
            }
        }
        if props.isEmojiPresentation { return 2 }
        if emojiVariation && props.isEmoji { return 2 }
        return scalarWidth(first)
    }

    /// Sum of the widths of all clusters in `s`.
    public static func of(_ s: String) -> Int {
        var total = 0
        for c in s { total += of(c) }
        return total
    }

    /// Width of a single scalar on its own.
    public static func scalarWidth(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        if isWide(v) { return 2 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return 0
        default:
            break
        }
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }
        return 1
    }

    /// East Asian Width W or F (excluding emoji, which are decided by presentation).
    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0, hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.0 { hi = mid - 1 } else if v > r.1 { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Sorted, non-overlapping East Asian Wide/Fullwidth ranges (Unicode 15.1, non-emoji).
    static let wideRanges: [(UInt32, UInt32)] = [
        (0x1100, 0x115F), (0x2329, 0x232A), (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5),
        (0x2FF0, 0x2FFF), (0x3000, 0x303E), (0x3041, 0x3096), (0x3099, 0x30FF), (0x3105, 0x312F),
        (0x3131, 0x318E), (0x3190, 0x31E3), (0x31EF, 0x321E), (0x3220, 0x3247), (0x3250, 0x4DBF),
        (0x4DC0, 0x4DFF), (0x4E00, 0xA48C), (0xA490, 0xA4C6), (0xA960, 0xA97C), (0xAC00, 0xD7A3),
        (0xF900, 0xFAFF), (0xFE10, 0xFE19), (0xFE30, 0xFE52), (0xFE54, 0xFE66), (0xFE68, 0xFE6B),
        (0xFF01, 0xFF60), (0xFFE0, 0xFFE6), (0x16FE0, 0x16FE4), (0x16FF0, 0x16FF1), (0x17000, 0x187F7),
        (0x18800, 0x18CD5), (0x18D00, 0x18D08), (0x1AFF0, 0x1AFF3), (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE),
        (0x1B000, 0x1B122), (0x1B132, 0x1B132), (0x1B150, 0x1B152), (0x1B155, 0x1B155), (0x1B164, 0x1B167),
        (0x1B170, 0x1B2FB), (0x1F200, 0x1F202), (0x1F210, 0x1F23B), (0x1F240, 0x1F248), (0x1F250, 0x1F251),
        (0x1F260, 0x1F265), (0x20000, 0x2FFFD), (0x30000, 0x3FFFD),
    ]
}
