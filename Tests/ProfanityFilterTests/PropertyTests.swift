import ProfanityFilter
import Testing
import TestSupport

/// Invariants over many pseudo-random messages built from a pool of tricky
/// pieces (leet, separators, emoji, combining marks, CRLF, confusables).
@Suite struct PropertyTests {
    static let pool: [String] = [
        "f", "u", "c", "k", "s", "h", "i", "t", "a", "p", "o", "e", "r", "n", "1", "0", "3", "4", "5", "7",
        "2", "9", "@", "$", "!", "|", " ", "  ", ".", "_", "-", "*", "'", ",", "😀", "👍🏽", "🇪🇸", "👨‍👩‍👧",
        "你", "ñ", "é", "u\u{308}", "\u{301}", "\u{200B}", "с", "а", "ʃ", "𝒸", "\r\n", "\n",
        "fuck", "shit", "puta", "ass", "class", "FU", "UU",
    ]

    @Test(arguments: [1, 2, 3, 4])
    func masksKeepShapeAndAreStable(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let matcher = ProfanityMatcher.default
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<24, using: &rng)
            let text = (0..<length).map { _ in Self.pool.randomElement(using: &rng)! }.joined()
            let scan = matcher.scan(text)
            let chars = Array(text)

            #expect(scan.masked.count == chars.count, "\(text.debugDescription)")
            for (before, after) in zip(text, scan.masked) where before != after {
                #expect(after == "*", "\(text.debugDescription)")
            }
            var previousEnd = 0
            for match in scan.matches {
                #expect(match.range.lowerBound >= previousEnd && match.range.upperBound <= chars.count)
                #expect(String(chars[match.range]) == match.text)
                previousEnd = match.range.upperBound
            }
            #expect(scan.isClean == (scan.masked == text))
            // Masking leaves nothing for a second pass to find.
            #expect(matcher.scan(scan.masked).isClean, "\(text.debugDescription) -> \(scan.masked.debugDescription)")
        }
    }
}
