/// Finds and masks profanity in chat messages.
///
/// A message is split into words (runs of letters, leet digits and `@ $`;
/// `! |` inside a word). Each word is folded to a skeleton (NFKC, case,
/// diacritics, confusables, leet) and matched *as a whole* against the list:
/// a list word inside a longer innocent word is never a match, so `class`,
/// `Scunthorpe`, `Matsushita` and `computadora` stay clean. Runs of single
/// letters separated by `space . _ - *` are also read as one word (`f.u.c.k`,
/// `f u c k i n g`), so a spelled-out word is found even after `a` or `I`.
///
/// Leading `@ $` and trailing `@ $` or digits may be left out of a word
/// (`@bitch`, `fuck1`). Words of digits only are numbers; digits with one or
/// two letters before or after them are codes and units (`A55`, `45s`).
///
/// Building a matcher compiles its list (well under a millisecond for the
/// default one); scanning is allocation-light and linear in the text, so build
/// one matcher and share it: it is an immutable `Sendable` value.
public struct ProfanityMatcher: Sendable {
    public let list: ProfanityList
    private let automaton: WordAutomaton

    /// At most this many single letters are read as one spelled-out word.
    private static let maxSpelledLetters = 24

    public init(list: ProfanityList = .default) {
        self.list = list
        var affixIDs: [ProfanityAffixes: Int] = [:]
        var affixSets: [ProfanityAffixes] = []
        let compiled = list.entries.map { entry -> (codes: [LetterCode]?, isStem: Bool, affixID: Int) in
            var id = 0
            if entry.isStem {
                if let known = affixIDs[entry.affixes] {
                    id = known
                } else {
                    id = affixSets.count
                    affixIDs[entry.affixes] = id
                    affixSets.append(entry.affixes)
                }
            }
            return (TextNormalizer.letterCodes(of: entry.word), entry.isStem, id)
        }
        automaton = WordAutomaton(entries: compiled, affixSets: affixSets)
    }

    /// A matcher for the default English + Spanish list.
    public static let `default` = ProfanityMatcher()

    /// Finds every profane word in `text` and masks it.
    public func scan(_ text: String) -> ProfanityScan {
        let normalized = NormalizedText(text)
        let tokens = normalized.tokens()
        var scratch = WordAutomaton.Scratch()
        var found: [(range: Range<Int>, entry: Int)] = []

        var i = 0
        while i < tokens.count {
            if tokens[i].count > 1 {
                if let match = matchWord(tokens[i], in: normalized, scratch: &scratch) { found.append(match) }
                i += 1
                continue
            }
            var end = i + 1
            while end < tokens.count, tokens[end].count == 1,
                  normalized.isSpellingGap(tokens[end - 1].upperBound..<tokens[end].lowerBound) {
                end += 1
            }
            if end - i >= 2 { matchSpelled(tokens[i..<end], in: normalized, scratch: &scratch, into: &found) }
            i = end
        }

        guard !found.isEmpty else { return ProfanityScan(masked: text, matches: []) }
        let (masked, originals) = normalized.masking(found.map(\.range))
        let matches = zip(found, originals).map { match, original in
            ProfanityMatch(range: match.range, word: list.entries[match.entry].word, text: original)
        }
        return ProfanityScan(masked: masked, matches: matches)
    }

    /// `scan(text).masked`.
    public func mask(_ text: String) -> String { scan(text).masked }

    /// Whether `text` contains at least one profane word.
    public func containsProfanity(_ text: String) -> Bool { !scan(text).isClean }

    // MARK: - Matching

    /// One whole word, allowing leading `@ $` and trailing `@ $`/digits to be
    /// left out; the fewest characters left out wins.
    private func matchWord(_ token: Range<Int>, in text: NormalizedText,
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
    private func matchSpelled(_ run: ArraySlice<Range<Int>>, in text: NormalizedText,
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
