/// Turns any string into text that is safe to hand to a terminal: nothing in the result can
/// move the cursor, change colours, switch charsets or reorder text.
///
/// | input                                   | output                                  |
/// |-----------------------------------------|-----------------------------------------|
/// | ESC (U+001B)                            | `␛` (the rest of a sequence stays literal: `␛[31m`) |
/// | other C0 controls U+0000-001F           | Control Pictures `␀`...`␟` (U+2400 + code) |
/// | DEL U+007F                              | `␡`                                     |
/// | C1 controls U+0080-009F                 | `␛` + 7-bit equivalent (CSI U+009B -> `␛[`) |
/// | bidi embeddings/overrides/isolates      | `⟨LRE⟩ ⟨RLE⟩ ⟨PDF⟩ ⟨LRO⟩ ⟨RLO⟩ ⟨LRI⟩ ⟨RLI⟩ ⟨FSI⟩ ⟨PDI⟩` |
/// | TAB                                     | `tabWidth` spaces                       |
/// | LF, CR, CRLF, U+2028, U+2029            | `⏎` (`.symbol`) or a single `\n` (`.preserve`) |
///
/// Every replacement is one display column per character.
public enum TerminalSanitizer {
    public enum NewlineMode: Sendable, Equatable {
        /// Newlines become `⏎` (single-line output).
        case symbol
        /// Newlines are kept as a single `"\n"` each (CR and CRLF normalised) for the caller to split.
        case preserve
    }

    public static let newlineSymbol: Character = "\u{23CE}"
    public static let escapeSymbol: Character = "\u{241B}"
    public static let tabWidth = 4

    /// The sanitized text (returns `text` itself when nothing needs replacing).
    public static func sanitize(_ text: String, newlines: NewlineMode = .symbol) -> String {
        guard needsSanitizing(text) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            let v = s.value
            switch v {
            case 0x0A, 0x2028, 0x2029:
                appendNewline(&out, newlines)
            case 0x0D:
                if i + 1 < scalars.count, scalars[i + 1].value == 0x0A { i += 1 }
                appendNewline(&out, newlines)
            case 0x09:
                for _ in 0..<tabWidth { out.append(" ") }
            case 0x1B:
                out.append(contentsOf: String(escapeSymbol).unicodeScalars)
            case 0x00..<0x20:
                out.append(Unicode.Scalar(0x2400 + v)!)
            case 0x7F:
                out.append("\u{2421}")
            case 0x80..<0xA0:
                out.append(contentsOf: String(escapeSymbol).unicodeScalars)
                out.append(Unicode.Scalar(v - 0x40)!)
            case 0x202A...0x202E, 0x2066...0x2069:
                out.append("\u{27E8}")
                out.append(contentsOf: bidiName(v).unicodeScalars)
                out.append("\u{27E9}")
            default:
                out.append(s)
            }
            i += 1
        }
        return String(out)
    }

    /// Sanitizes and splits into display lines (at LF, CR, CRLF, U+2028, U+2029).
    public static func lines(_ text: String) -> [String] {
        sanitize(text, newlines: .preserve)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    /// True when `sanitize` would change `text`.
    public static func needsSanitizing(_ text: String) -> Bool {
        for s in text.unicodeScalars where isUnsafe(s) { return true }
        return false
    }

    /// Scalars that must never reach a terminal as-is.
    public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || (v >= 0x7F && v < 0xA0) || (v >= 0x202A && v <= 0x202E)
            || (v >= 0x2066 && v <= 0x2069) || v == 0x2028 || v == 0x2029
    }

    private static func appendNewline(_ out: inout String.UnicodeScalarView, _ mode: NewlineMode) {
        switch mode {
        case .symbol: out.append(contentsOf: String(newlineSymbol).unicodeScalars)
        case .preserve: out.append("\n")
        }
    }

    private static func bidiName(_ v: UInt32) -> String {
        switch v {
        case 0x202A: return "LRE"
        case 0x202B: return "RLE"
        case 0x202C: return "PDF"
        case 0x202D: return "LRO"
        case 0x202E: return "RLO"
        case 0x2066: return "LRI"
        case 0x2067: return "RLI"
        case 0x2068: return "FSI"
        default: return "PDI"
        }
    }
}
