/// A message folded for matching: the kind of every `Character` and the
/// skeleton letters of its word characters, with the way back from letters to
/// characters.
struct NormalizedText {
    /// A maximal run of word characters, as a `Character` offset range.
    typealias Token = Range<Int>

    let text: String
    private(set) var kinds: [CharKind]
    /// `units[unitStart[i] ..< unitStart[i + 1]]` are character `i`'s letters.
    private let unitStart: [Int32]
    private let units: [LetterSet]

    init(_ text: String) {
        var kinds: [CharKind] = []
        var unitStart: [Int32] = []
        var units: [LetterSet] = []
        let estimate = text.utf8.count
        kinds.reserveCapacity(estimate)
        unitStart.reserveCapacity(estimate + 1)
        units.reserveCapacity(estimate)
        // Fast path: in ASCII text without "\r\n" every byte is one Character.
        var isASCII = true
        for byte in text.utf8 {
            guard byte < 0x80, byte != 13 else { isASCII = false; break }
            unitStart.append(Int32(units.count))  // safe: a byte; unit counts of one message (< Int32.max)
            let entry = TextNormalizer.ascii[Int(byte)]  // safe: a byte; unit counts of one message (< Int32.max)
            if entry.kind.isWord || entry.kind == .innerLeet { units.append(entry.set) }
            kinds.append(entry.kind)
        }
        if !isASCII {
            kinds.removeAll(keepingCapacity: true)
            unitStart.removeAll(keepingCapacity: true)
            units.removeAll(keepingCapacity: true)
            for ch in text {
                unitStart.append(Int32(units.count))  // safe: a byte; unit counts of one message (< Int32.max)
                kinds.append(TextNormalizer.fold(ch, into: &units))
            }
        }
        unitStart.append(Int32(units.count))  // safe: a byte; unit counts of one message (< Int32.max)
        self.text = text
        self.kinds = kinds
        self.unitStart = unitStart
        self.units = units
        resolveInnerLeet()
    }

    /// `!` and `|` are letters only inside a word (`sh!t`); elsewhere they are
    /// punctuation (`shit!`).
    private mutating func resolveInnerLeet() {
        var i = 0
        while i < kinds.count {
            guard kinds[i] == .innerLeet else { i += 1; continue }
            var end = i
            while end < kinds.count, kinds[end] == .innerLeet { end += 1 }
            let inside = i > 0 && kinds[i - 1].isWord && end < kinds.count && kinds[end].isWord
            for k in i..<end { kinds[k] = inside ? .leetSymbol : .boundary }
            i = end
        }
    }

    /// The words of the text, in order.
    func tokens() -> [Token] {
        var tokens: [Token] = []
        var i = 0
        while i < kinds.count {
            guard kinds[i].isWord else { i += 1; continue }
            let start = i
            while i < kinds.count, kinds[i].isWord { i += 1 }
            tokens.append(start..<i)
        }
        return tokens
    }

    /// The skeleton letters of the characters in `range` (separators have none).
    func units(_ range: Range<Int>) -> ArraySlice<LetterSet> {
        units[Int(unitStart[range.lowerBound])..<Int(unitStart[range.upperBound])]  // safe: a byte; unit counts of one message (< Int32.max)
    }

    /// Whether `range` holds a letter or a leet symbol: digits alone are a
    /// number and never match.
    func hasNonDigit(_ range: Range<Int>) -> Bool {
        kinds[range].contains { $0 == .letter || $0 == .leetSymbol }
    }

    /// Whether the characters between two words are 1...3 separators only, so
    /// that single letters on either side may be read as one spelled-out word.
    func isSpellingGap(_ range: Range<Int>) -> Bool {
        (1...3).contains(range.count) && kinds[range].allSatisfy { $0 == .separator }
    }

    /// `text` with every word character in `ranges` replaced by `*`, and the
    /// original text of each range.
    func masking(_ ranges: [Range<Int>]) -> (masked: String, originals: [String]) {
        let chars = Array(text)
        var out = chars
        for range in ranges {
            for i in range where kinds[i].isMaskable { out[i] = "*" }
        }
        return (String(out), ranges.map { String(chars[$0]) })
    }
}
