/// The reference path: `NormalizedText` over `Character`s and the array-based
/// `WordAutomaton.match(_:scratch:)`.
extension ProfanityMatcher {
    /// `scan(_:)` the way it was first written, kept as the reference that the
    /// fast path is tested (and fuzzed) against: every message becomes an
    /// array of `Character` kinds and letters first (`NormalizedText`), words
    /// are collected, then matched. Same answers as `scan(_:)`, several times
    /// slower; not for production use.
    public func referenceScan(_ text: String) -> ProfanityScan {
        let normalized = NormalizedText(text)
        let tokens = normalized.tokens()
        var scratch = WordAutomaton.Scratch()
        var found: [(range: Range<Int>, entry: Int)] = []

        var i = 0
        while i < tokens.count {
            if tokens[i].count > 1 {
                if let match = referenceMatchWord(tokens[i], in: normalized, scratch: &scratch) { found.append(match) }
                i += 1
                continue
            }
            var end = i + 1
            while end < tokens.count, tokens[end].count == 1,
                  normalized.isSpellingGap(tokens[end - 1].upperBound..<tokens[end].lowerBound) {
                end += 1
            }
            if end - i >= 2 { referenceMatchSpelled(tokens[i..<end], in: normalized, scratch: &scratch, into: &found) }
            i = end
        }

        guard !found.isEmpty else { return ProfanityScan(masked: text, matches: []) }
        let (masked, originals) = normalized.masking(found.map(\.range))
        let matches = zip(found, originals).map { match, original in
            ProfanityMatch(range: match.range, word: list.entries[match.entry].word, text: original)
        }
        return ProfanityScan(masked: masked, matches: matches)
    }


    /// One whole word, allowing leading `@ $` and trailing `@ $`/digits to be
    /// left out; the fewest characters left out wins.
    fileprivate func referenceMatchWord(_ token: Range<Int>, in text: NormalizedText,
                           scratch: inout WordAutomaton.Scratch) -> (range: Range<Int>, entry: Int)? {
        let kinds = text.kinds
        if Self.isNumberOrCode(kinds[token]) { return nil }
        var lead = 0
        while lead < 2, lead < token.count - 1, kinds[token.lowerBound + lead] == .leetSymbol { lead += 1 }
        var trail = 0
        while trail < 3, trail < token.count - 1,
              kinds[token.upperBound - 1 - trail] == .leetSymbol || kinds[token.upperBound - 1 - trail] == .leetDigit {
            trail += 1
        }
        for skipped in 0...(lead + trail) where skipped < token.count {
            for leading in max(0, skipped - trail)...min(skipped, lead) {
                let range = (token.lowerBound + leading)..<(token.upperBound - (skipped - leading))
                guard !range.isEmpty, text.hasNonDigit(range) else { continue }
                if let entry = automaton.match(text.units(range), scratch: &scratch) { return (range, entry) }
            }
        }
        return nil
    }

    /// Digits next to letters are not leet in numbers with a unit (`45s`,
    /// `10am`) or codes (`A55`, `PS55`): two or more digits, with one or two
    /// letters only before or only after them.
    private static func isNumberOrCode(_ kinds: ArraySlice<CharKind>) -> Bool {
        let leadingDigits = kinds.prefix { $0 == .leetDigit }.count
        let leadingLetters = kinds.prefix { $0 == .letter }.count
        if leadingDigits >= 2, (1...2).contains(kinds.count - leadingDigits) {
            return kinds.dropFirst(leadingDigits).allSatisfy { $0 == .letter }
        }
        if (1...2).contains(leadingLetters), kinds.count - leadingLetters >= 2 {
            return kinds.dropFirst(leadingLetters).allSatisfy { $0 == .leetDigit }
        }
        return false
    }

    /// A run of single-character words with separators between them: finds
    /// the spelled-out words in it, longest first, left to right.
    fileprivate func referenceMatchSpelled(_ run: ArraySlice<Range<Int>>, in text: NormalizedText,
                              scratch: inout WordAutomaton.Scratch,
                              into found: inout [(range: Range<Int>, entry: Int)]) {
        let pieces = Array(run)
        var start = 0
        while start < pieces.count - 1 {
            var matchedEnd: Int?
            var end = min(pieces.count, start + Self.maxSpelledLetters)
            while end >= start + 2 {
                let range = pieces[start].lowerBound..<pieces[end - 1].upperBound
                if text.hasNonDigit(range), let entry = automaton.match(text.units(range), scratch: &scratch) {
                    found.append((range, entry))
                    matchedEnd = end
                    break
                }
                end -= 1
            }
            start = matchedEnd ?? (start + 1)
        }
    }
}
