import Dispatch
import ProfanityFilter

/// Profanity matcher throughput on one core, over a mix of clean and profane chat lines.
public struct MatcherBenchmark: Sendable {
    public static let corpus: [String] = [
        "hey everyone, the quarterly assessment for the Scunthorpe office is ready",
        "what the fuck is going on with the build",
        "lol ok see you at 5",
        "this is some f.u.c.k.i.n.g bullshit honestly",
        "¿dónde está la biblioteca? vamos a la clase de análisis",
        "no mames güey, qué pendejada",
        "我们明天见 👋 see you tomorrow",
        "sh1t happens, then you deploy again",
        "the therapist said the cocktail party was a classic",
        "please review https://example.com/docs/assessment before Friday",
    ]

    public var messages: Int

    public init(messages: Int = 200_000) { self.messages = messages }

    /// UTF-8 bytes per message, averaged over the corpus (for MB/s).
    public static var averageBytes: Double {
        Double(corpus.reduce(0) { $0 + $1.utf8.count }) / Double(corpus.count)
    }

    /// Returns messages per second and the number of matches found (so the work is not optimised away).
    public func run() -> (perSecond: Double, matches: Int) {
        let matcher = ProfanityMatcher.default
        return measure { matcher.scan($0).maskedCount }
    }

    /// The matcher's reference path (`referenceScan`, `Character` by `Character`: what `scan` was
    /// before the byte path), in the same run: the before of the before/after.
    public func runReference() -> (perSecond: Double, matches: Int) {
        let matcher = ProfanityMatcher.default
        return measure { matcher.referenceScan($0).maskedCount }
    }

    /// The alternative, in the same run: lowercase, split on non-letters, look each word up in a
    /// set of the same list. No Unicode folding, leetspeak, separators, stems or affixes, so it
    /// misses most of the corpus's disguised words: the ratio is what that robustness costs.
    public func runNaive() -> (perSecond: Double, matches: Int) {
        let words = Set(ProfanityList.default.entries.map { $0.word.lowercased() })
        return measure { line in
            line.lowercased().split { !$0.isLetter }.reduce(0) { $0 + (words.contains(String($1)) ? 1 : 0) }
        }
    }

    private func measure(_ scan: (String) -> Int) -> (perSecond: Double, matches: Int) {
        var matches = 0
        for line in Self.corpus { matches += scan(line) } // warm-up (fold tables)
        matches = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<messages {
            matches += scan(Self.corpus[i % Self.corpus.count])
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (Double(messages) / seconds, matches)
    }
}
