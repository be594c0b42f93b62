@testable import ProfanityFilter
import Testing
import TestSupport

/// `scan(_:)` works on UTF-8 bytes; `referenceScan(_:)` is the original
/// `Character`-based path. They must agree exactly — masked text byte for byte,
/// every match's range, word and text — on every case of the other suites, the
/// benchmark corpus, and many generated messages, clean and profane.
@Suite struct FastPathTests {
    let matcher = ProfanityMatcher.default

    /// Fails with the message when the two paths differ in anything.
    /// With `mayDecline`, the byte path may leave the text to the reference (letter buffer
    /// full: many long compatibility expansions), and `scan(_:)` is compared instead.
    func expectSame(_ text: String, matcher: ProfanityMatcher, mayDecline: Bool = false,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        guard let fast = matcher.fastScan(text) ?? (mayDecline ? matcher.scan(text) : nil) else {
            Issue.record("fast path declined \(text.debugDescription)", sourceLocation: sourceLocation)
            return
        }
        let reference = matcher.referenceScan(text)
        #expect(Array(fast.masked.utf8) == Array(reference.masked.utf8),
                "\(text.debugDescription): \(fast.masked.debugDescription) vs \(reference.masked.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(fast.matches.map(\.range) == reference.matches.map(\.range), "\(text.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(fast.matches.map(\.word) == reference.matches.map(\.word), "\(text.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(fast.matches.map { Array($0.text.utf8) } == reference.matches.map { Array($0.text.utf8) },
                "\(text.debugDescription)", sourceLocation: sourceLocation)
    }

    static let benchCorpus = [
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

    static var everyCase: [String] {
        EnglishMatchTests.cases.map(\.input) + EnglishMatchTests.obfuscated.map(\.input)
            + SpanishTests.profane.map(\.input) + SpanishTests.innocent
            + CleanTextTests.scunthorpe + CleanTextTests.sentences
            + MaskingTests.exact.map(\.input) + MaskingTests.graphemeHeavy
            + benchCorpus
    }

    @Test func agreesOnEveryCaseOfTheOtherSuites() {
        #expect(Self.everyCase.count > 250)
        for text in Self.everyCase {
            expectSame(text, matcher: matcher)
            // In context, and with each Character's neighbours changed.
            expectSame("x \(text) y", matcher: matcher)
            expectSame("\(text)\r\n\(text)", matcher: matcher)
            expectSame("é\(text)\u{301}", matcher: matcher)
        }
    }

    @Test func agreesOnEveryListEntryInDisguise() {
        var rng = SplitMix64(seed: 14)
        let leet: [Character: [String]] = [
            "a": ["4", "@", "А", "á"], "e": ["3", "€", "é"], "i": ["1", "!", "|", "í"], "l": ["1", "|"],
            "o": ["0", "ó", "σ"], "s": ["5", "$"], "t": ["7"], "u": ["ü", "v"], "c": ["с", "ç"],
        ]
        let separators = [".", " ", "_", "-", "*", "  ", ". ", "..", "....", ",", "\u{200B}"]
        for entry in ProfanityList.default.entries {
            for _ in 0..<12 {
                var word = ""
                let spelled = Int.random(in: 0..<4, using: &rng) == 0
                let separator = separators.randomElement(using: &rng) ?? "."
                for (k, ch) in entry.word.enumerated() {
                    if spelled, k > 0 { word += separator }
                    var piece = String(ch)
                    switch Int.random(in: 0..<8, using: &rng) {
                    case 0: piece = piece.uppercased()
                    case 1: piece = leet[ch]?.randomElement(using: &rng) ?? piece
                    case 2: piece = String(repeating: piece, count: Int.random(in: 2...4, using: &rng))
                    default: break
                    }
                    word += piece
                }
                if entry.isStem, Bool.random(using: &rng) {
                    let affixes = entry.affixes
                    if Bool.random(using: &rng), let prefix = affixes.prefixes.randomElement(using: &rng) { word = prefix + word }
                    if Bool.random(using: &rng), let suffix = affixes.suffixes.randomElement(using: &rng) { word += suffix }
                }
                let around = ["", "@", "$", "11", "!", "?", "👍", "你", "e\u{301}", "9", "x"]
                let text = "say \(around.randomElement(using: &rng) ?? "")\(word)\(around.randomElement(using: &rng) ?? "") now"
                expectSame(text, matcher: matcher)
                expectSame(word, matcher: matcher)
            }
        }
    }

    static let pool: [String] = PropertyTests.pool + [
        "\r", "\r\n", "1\u{FE0F}\u{20E3}", "\u{0600}", "\u{0600}a", "🇺🇸", "🇪", "\u{200D}", "👩🏽‍💻",
        "ﬀ", "ﬁ", "㍱", "\u{FDFA}", "ß", "Ｆ", "ｕ", "ⓒ", "ᴋ", "Ñ", "ñ", "\t", "...", "    ", "#", "'",
        "bull", "mother", "hijo", "de", "ing", "er", "y", "es", "ita", "class", "Scunthorpe", "45", "am",
        "a", "I", "x", "l", "g",
    ]

    @Test(arguments: [11, 12, 13, 14, 15, 16])
    func agreesOnRandomMessages(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0..<40, using: &rng)
            let text = (0..<length).map { _ in Self.pool.randomElement(using: &rng) ?? "" }.joined()
            expectSame(text, matcher: matcher)
        }
    }

    @Test func agreesWithOtherLists() throws {
        let lists = [
            try ProfanityList(parsing: "banana*\nkiwi\n[es]\nsandía*"),
            ProfanityList(words: ["frak*", "gorram"], affixes: .all),
            ProfanityList(entries: []),
        ]
        var rng = SplitMix64(seed: 99)
        let pool = Self.pool + ["banana", "b4n4n4", "k1w1", "kiwis", "sandías", "frakking", "motherfrakker", "gorram"]
        for list in lists {
            let matcher = ProfanityMatcher(list: list)
            for _ in 0..<1_000 {
                let length = Int.random(in: 0..<30, using: &rng)
                expectSame((0..<length).map { _ in pool.randomElement(using: &rng) ?? "" }.joined(), matcher: matcher)
            }
        }
    }

    @Test func agreesOnLongRuns() {
        expectSame(String(repeating: "f u c k ", count: 40), matcher: matcher)
        expectSame(String(repeating: "a.", count: 100) + "s.h.i.t", matcher: matcher)
        expectSame(String(repeating: "x ", count: 30) + "p u t a " + String(repeating: "y ", count: 30), matcher: matcher)
        expectSame(String(repeating: "clean words and a fuck here ", count: 150), matcher: matcher)
        expectSame(String(repeating: "ñ", count: 500) + " shit " + String(repeating: "\u{FDFA}", count: 3), matcher: matcher)
        // U+FDFA folds to 18 letters from 3 bytes: past the letter buffer, so `scan` declines to the reference.
        #expect(matcher.fastScan(String(repeating: "\u{FDFA}", count: 50)) == nil)
        expectSame(String(repeating: "ñ", count: 500) + " shit " + String(repeating: "\u{FDFA}", count: 300), matcher: matcher,
                   mayDecline: true)
        expectSame(String(repeating: "\u{FDFA}", count: 50), matcher: matcher, mayDecline: true)
    }

    @Test func cleanTextComesBackAsTheSameString() {
        for text in Self.benchCorpus {
            let scan = matcher.scan(text)
            if scan.isClean { #expect(Array(scan.masked.utf8) == Array(text.utf8)) }
        }
    }
}
