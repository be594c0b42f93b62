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
/// default one); scanning is linear in the text and allocates nothing unless
/// something is masked, so build one matcher and share it: it is an immutable
/// `Sendable` value, cheap to copy.
public struct ProfanityMatcher: Sendable {
    public let list: ProfanityList
    /// Behind a reference, so that copying a matcher (into a closure, a task,
    /// another struct) retains one object instead of every table in it.
    private let compiled: Compiled

    private final class Compiled: Sendable {
        let automaton: WordAutomaton
        init(_ automaton: WordAutomaton) { self.automaton = automaton }
    }

    var automaton: WordAutomaton { compiled.automaton }

    /// At most this many single letters are read as one spelled-out word.
    static let maxSpelledLetters = 24

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
        self.compiled = Compiled(WordAutomaton(entries: compiled, affixSets: affixSets))
    }

    /// A matcher for the default English + Spanish list.
    public static let `default` = ProfanityMatcher()

    /// Finds every profane word in `text` and masks it.
    ///
    /// Works on the UTF-8 bytes: ASCII is folded byte by byte through tables and
    /// only the spans around non-ASCII characters are cut into `Character`s; a
    /// message with nothing to mask allocates nothing (chat-sized messages fold
    /// into stack memory) and comes back as the same `String`. The answer is
    /// the same as `referenceScan(_:)`'s, byte for byte.
    public func scan(_ text: String) -> ProfanityScan {
        fastScan(text) ?? referenceScan(text)
    }

    /// The byte path of `scan(_:)`; nil for the messages it leaves to
    /// `referenceScan(_:)`: text without contiguous UTF-8 storage, and text
    /// that does not fit `FoldedMessage`.
    func fastScan(_ text: String) -> ProfanityScan? {
        if text.utf8.isEmpty { return ProfanityScan(masked: text, matches: []) }
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes in
            FoldedMessage.withFolded(text, bytes: bytes) { message in scan(message, text: text) }
        }
        return fast ?? nil
    }

    private func scan(_ message: FoldedMessage, text: String) -> ProfanityScan {
        var found: [(range: Range<Int>, entry: Int)] = []
        let count = message.count
        var i = 0
        while i < count {
            guard message.kind(i).isWord else { i += 1; continue }
            var end = i + 1
            var hasDigit = message.kind(i) == .leetDigit
            while end < count, message.kind(end).isWord {
                hasDigit = hasDigit || message.kind(end) == .leetDigit
                end += 1
            }
            if end - i > 1 {
                if let match = matchWord(i..<end, hasDigit: hasDigit, in: message) { found.append(match) }
                i = end
                continue
            }
            // A single-character word: with the single-character words after it across
            // spelling gaps, a run that may spell a word out.
            i = matchSpelled(from: i, in: message, into: &found)
        }
        guard !found.isEmpty else { return ProfanityScan(masked: text, matches: []) }
        let matches = found.map { match in
            ProfanityMatch(range: match.range, word: list.entries[match.entry].word, text: message.text(match.range))
        }
        return ProfanityScan(masked: message.masking(found.lazy.map(\.range)), matches: matches)
    }

    /// `scan(text).masked`.
    public func mask(_ text: String) -> String { scan(text).masked }

    /// Whether `text` contains at least one profane word.
    public func containsProfanity(_ text: String) -> Bool { !scan(text).isClean }

    // MARK: - Matching

    /// One whole word, allowing leading `@ $` and trailing `@ $`/digits to be
    /// left out; the fewest characters left out wins.
    private func matchWord(_ token: Range<Int>, hasDigit: Bool, in message: FoldedMessage) -> (range: Range<Int>, entry: Int)? {
        if hasDigit, message.isNumberOrCode(token) { return nil }
        var lead = 0
        while lead < 2, lead < token.count - 1, message.kind(token.lowerBound + lead) == .leetSymbol { lead += 1 }
        var trail = 0
        while trail < 3, trail < token.count - 1,
              message.kind(token.upperBound - 1 - trail) == .leetSymbol || message.kind(token.upperBound - 1 - trail) == .leetDigit {
            trail += 1
        }
        for skipped in 0...(lead + trail) where skipped < token.count {
            for leading in max(0, skipped - trail)...min(skipped, lead) {
                let range = (token.lowerBound + leading)..<(token.upperBound - (skipped - leading))
                guard !range.isEmpty, message.hasNonDigit(range) else { continue }
                if let entry = compiled.automaton.match(message.units(range)) { return (range, entry) }
            }
        }
        return nil
    }

    /// The run of single-character words that starts at `first`, with spelling
    /// gaps between them: finds the spelled-out words in it, longest first,
    /// left to right, as `referenceScan(_:)` does over the whole run, through a
    /// window of at most `maxSpelledLetters` pieces. Returns where the run ends.
    private func matchSpelled(from first: Int, in message: FoldedMessage,
                              into found: inout [(range: Range<Int>, entry: Int)]) -> Int {
        /// The next single-character word after the one at `piece`, if only a spelling gap is between.
        func next(after piece: Int) -> Int? {
            var gapEnd = piece + 1
            while gapEnd < message.count, gapEnd <= piece + 4, !message.kind(gapEnd).isWord { gapEnd += 1 }
            guard gapEnd < message.count, message.isSpellingGap((piece + 1)..<gapEnd) else { return nil }
            guard gapEnd + 1 == message.count || !message.kind(gapEnd + 1).isWord else { return nil }
            return gapEnd
        }
        guard next(after: first) != nil else { return first + 1 }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.maxSpelledLetters) { window in
            var start = first
            var lastPiece = first
            while true {
                window[0] = start
                var pieces = 1
                while pieces < Self.maxSpelledLetters, let piece = next(after: window[pieces - 1]) {
                    window[pieces] = piece
                    pieces += 1
                }
                lastPiece = max(lastPiece, window[pieces - 1])
                if pieces < 2 { break }
                var matchedEnd: Int?
                var end = pieces
                while end >= 2 {
                    let range = window[0]..<(window[end - 1] + 1)
                    if message.hasNonDigit(range), let entry = compiled.automaton.match(message.units(range)) {
                        found.append((range, entry))
                        matchedEnd = end
                        break
                    }
                    end -= 1
                }
                let restart = matchedEnd ?? 1
                if restart < pieces {
                    start = window[restart]
                } else if let piece = next(after: window[pieces - 1]) {
                    start = piece
                } else {
                    break
                }
            }
            return lastPiece + 1
        }
    }
}
