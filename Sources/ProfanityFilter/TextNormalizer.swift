import Foundation

/// A skeleton letter: 1...26 are `a`...`z`, 27 is `ñ` (kept apart from `n` so
/// that Spanish `coño` and `cono` — "cone" — stay different words).
typealias LetterCode = UInt8

/// The letters one position of a skeleton may stand for, one bit per
/// `LetterCode`. Plain letters have one bit; leet such as `1` has two (`i`,
/// `l`); `0` means "a letter no list entry can contain" (Cyrillic `ж`, Greek
/// `λ`, ...), which stops any match through it.
typealias LetterSet = UInt32

enum Letters {
    static let enye: LetterCode = 27
    static let codeCount = 28 // including the unused 0

    @inline(__always) static func set(_ code: LetterCode) -> LetterSet { 1 << LetterSet(code) }

    /// `a`...`z` (ASCII lowercase byte) to its code.
    @inline(__always) static func code(ascii byte: UInt8) -> LetterCode { byte &- 0x60 }

    static let vowels: LetterSet = "aeiou".utf8.reduce(0) { $0 | set(code(ascii: $1)) }
}

/// What one grapheme cluster (Swift `Character`) is, for tokenizing.
enum CharKind: UInt8, Sendable {
    /// A letter, possibly one no entry can contain (empty `LetterSet`).
    case letter
    /// A digit: `0 1 3 4 5 7` are leet letters inside a word, the others
    /// stand for no letter (but still belong to the word: `8b1dbbef` is one
    /// hex word, not `b1dbbef`).
    case leetDigit
    /// `@ $`: leet wherever they touch a word.
    case leetSymbol
    /// Zero-width and other default-ignorable characters (`f\u{200B}uck`):
    /// part of the word, but no letter and never masked.
    case invisible
    /// `! |`: leet only between two word characters (`sh!t`), else punctuation.
    case innerLeet
    /// Whitespace and `. _ - *`: may sit between spelled-out letters (`f.u.c.k`).
    case separator
    /// Everything else: punctuation, emoji, symbols, CJK ideographs.
    case boundary

    @inline(__always) var isWord: Bool { rawValue <= CharKind.invisible.rawValue }
    /// Word characters that are masked: all but `invisible`.
    @inline(__always) var isMaskable: Bool { rawValue <= CharKind.leetSymbol.rawValue }
}

/// A folded character: its kind and the skeleton letters it contributes.
struct FoldedChar: Sendable {
    var kind: CharKind
    var letters: [LetterSet]
}

/// A `FoldedChar` of at most two letters, stored inline for the lookup table.
struct CompactFold: Sendable {
    var kind: CharKind
    var count: UInt8
    var first: LetterSet
    var second: LetterSet

    init?(_ folded: FoldedChar) {
        guard folded.letters.count <= 2 else { return nil }
        kind = folded.kind
        count = UInt8(folded.letters.count)  // safe: a byte, a count <= 2, or an offset inside the table range
        first = folded.letters.first ?? 0
        second = folded.letters.count == 2 ? folded.letters[1] : 0
    }
}

/// Folds one `Character` at a time: NFKC, case, diacritics, confusables, leet.
/// ASCII and the common Latin/Greek/Cyrillic/IPA blocks are table lookups; only
/// rarer characters (combining sequences, mathematical letters) reach Foundation.
enum TextNormalizer {
    /// Appends the skeleton letters of `ch` to `out` and returns its kind.
    @inline(__always)
    static func fold(_ ch: Character, into out: inout [LetterSet]) -> CharKind {
        fold(ch) { out.append($0) }
    }

    /// Passes the skeleton letters of `ch` to `emit`, in order, and returns its kind.
    @inline(__always)
    static func fold(_ ch: Character, emit: (LetterSet) -> Void) -> CharKind {
        let utf8 = ch.utf8
        if utf8.count == 1, let byte = utf8.first, byte < 0x80 { // not `asciiValue`: it is slower
            let entry = ascii[Int(byte)]  // safe: a byte, a count <= 2, or an offset inside the table range
            if entry.kind.isWord || entry.kind == .innerLeet { emit(entry.set) }
            return entry.kind
        }
        let scalars = ch.unicodeScalars
        let first = scalars.first!
        if isSpaceless(first.value) { return .boundary }
        let isSingle = scalars.index(after: scalars.startIndex) == scalars.endIndex
        if isSingle, let folded = tabled(first.value) {
            if folded.count > 0 { emit(folded.first) }
            if folded.count > 1 { emit(folded.second) }
            return folded.kind
        }
        let properties = first.properties
        if properties.isWhitespace { return .separator }
        if !properties.isAlphabetic, properties.numericType == nil, !properties.isDefaultIgnorableCodePoint,
           !(0xFF00...0xFFEF).contains(first.value) {
            return .boundary // emoji, symbols, punctuation: nothing to fold
        }
        let folded = foldSlowly(ch)
        for letter in folded.letters { emit(letter) }
        return folded.kind
    }

    /// The letter codes of a list word, or nil if it is not made of letters
    /// only (leet, digits and punctuation are not allowed in list entries).
    static func letterCodes(of word: String) -> [LetterCode]? {
        var sets: [LetterSet] = []
        for ch in word {
            guard fold(ch, into: &sets) == .letter else { return nil }
        }
        var codes: [LetterCode] = []
        codes.reserveCapacity(sets.count)
        for set in sets {
            guard set != 0, set & (set - 1) == 0 else { return nil }
            codes.append(LetterCode(set.trailingZeroBitCount))
        }
        return codes
    }

    // MARK: - Tables

    /// Kind and leet letters of each ASCII byte.
    static let ascii: [(kind: CharKind, set: LetterSet)] = (0..<128).map { (byte: Int) -> (kind: CharKind, set: LetterSet) in
        let b = UInt8(byte)  // safe: a byte, a count <= 2, or an offset inside the table range
        func letters(_ s: String) -> LetterSet { s.utf8.reduce(0) { $0 | Letters.set(Letters.code(ascii: $1)) } }
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return (.letter, Letters.set(Letters.code(ascii: b)))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return (.letter, Letters.set(Letters.code(ascii: b | 0x20)))
        case UInt8(ascii: "0"): return (.leetDigit, letters("o"))
        case UInt8(ascii: "1"): return (.leetDigit, letters("il"))
        case UInt8(ascii: "3"): return (.leetDigit, letters("e"))
        case UInt8(ascii: "4"): return (.leetDigit, letters("a"))
        case UInt8(ascii: "5"): return (.leetDigit, letters("s"))
        case UInt8(ascii: "7"): return (.leetDigit, letters("t"))
        case UInt8(ascii: "2"), UInt8(ascii: "6"), UInt8(ascii: "8"), UInt8(ascii: "9"): return (.leetDigit, 0)
        case UInt8(ascii: "@"): return (.leetSymbol, letters("a"))
        case UInt8(ascii: "$"): return (.leetSymbol, letters("s"))
        case UInt8(ascii: "!"): return (.innerLeet, letters("i"))
        case UInt8(ascii: "|"): return (.innerLeet, letters("il"))
        case UInt8(ascii: " "), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "*"),
             9...13:
            return (.separator, 0)
        default: return (.boundary, 0)
        }
    }

    /// Precomputed folds of the single-scalar characters of the blocks where
    /// accented letters and lookalikes live: Latin-1 to Cyrillic, phonetic
    /// extensions and small capitals, Latin Extended-C/D. Built on first use.
    @inline(__always)
    static func tabled(_ value: UInt32) -> CompactFold? {
        switch value {
        case 0x80..<0x530: return latinToCyrillic[Int(value &- 0x80)]  // safe: a byte, a count <= 2, or an offset inside the table range
        case 0x1D00..<0x1F00: return phonetic[Int(value &- 0x1D00)]  // safe: a byte, a count <= 2, or an offset inside the table range
        case 0x2C60..<0x2C80: return latinC[Int(value &- 0x2C60)]  // safe: a byte, a count <= 2, or an offset inside the table range
        case 0xA720..<0xA800: return latinD[Int(value &- 0xA720)]  // safe: a byte, a count <= 2, or an offset inside the table range
        default: return nil
        }
    }

    private static let latinToCyrillic = foldTable(0x80..<0x530)
    private static let phonetic = foldTable(0x1D00..<0x1F00)
    private static let latinC = foldTable(0x2C60..<0x2C80)
    private static let latinD = foldTable(0xA720..<0xA800)

    private static func foldTable(_ range: Range<UInt32>) -> [CompactFold?] {
        range.map { value in Unicode.Scalar(value).flatMap { CompactFold(foldSlowly(Character($0))) } }
    }

    /// Scripts written without spaces between words: their characters end a
    /// Latin word but never join one (`我说fuck` still finds `fuck`).
    @inline(__always)
    static func isSpaceless(_ v: UInt32) -> Bool {
        switch v {
        case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1100...0x11FF, 0x1780...0x17FF,
             0x3040...0x30FF, 0x3130...0x318F, 0x31F0...0x31FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF66...0xFF9F,
             0x20000...0x3FFFF:
            return true
        default:
            return false
        }
    }

    /// The general path: NFKC, then case/diacritic/width folding, then
    /// confusables; `ñ` is kept as its own letter.
    static func foldSlowly(_ ch: Character) -> FoldedChar {
        let first = ch.unicodeScalars.first!
        if first.properties.isWhitespace { return FoldedChar(kind: .separator, letters: []) }
        if ch == "ñ" || ch == "Ñ" { return FoldedChar(kind: .letter, letters: [Letters.set(Letters.enye)]) }
        if ch.unicodeScalars.allSatisfy(\.properties.isDefaultIgnorableCodePoint) {
            return FoldedChar(kind: .invisible, letters: [])
        }
        let folded = String(ch).precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var letters: [LetterSet] = []
        var sawLetter = false
        var leetKind: CharKind?
        for scalar in folded.unicodeScalars {
            if scalar.isASCII {
                let entry = ascii[Int(scalar.value)]  // safe: a byte, a count <= 2, or an offset inside the table range
                switch entry.kind {
                case .letter: sawLetter = true
                case .leetDigit, .leetSymbol, .innerLeet: leetKind = leetKind ?? entry.kind
                case .separator, .boundary, .invisible: continue
                }
                letters.append(entry.set)
            } else if let mapped = Confusables.table[scalar.value] {
                sawLetter = true
                letters += mapped.utf8.map { Letters.set(Letters.code(ascii: $0)) }
            } else if scalar.properties.isAlphabetic {
                sawLetter = true
                letters.append(0)
            } // combining marks and the like add nothing
        }
        if sawLetter { return FoldedChar(kind: .letter, letters: letters) }
        if let kind = leetKind, letters.count == 1 { return FoldedChar(kind: kind, letters: letters) }
        if first.properties.isAlphabetic { return FoldedChar(kind: .letter, letters: [0]) }
        return FoldedChar(kind: .boundary, letters: [])
    }
}
