import ProfanityFilter
import Testing

/// The shape of the output: exact masks, grapheme counts, match ranges, and
/// text around matches left alone.
@Suite struct MaskingTests {
    let matcher = ProfanityMatcher.default

    static let exact: [(input: String, masked: String)] = [
        ("👍 fuck 👍🏽", "👍 **** 👍🏽"),
        ("你好fuck世界", "你好****世界"),
        ("fuck你好", "****你好"),
        ("🇪🇸 puta 🇪🇸", "🇪🇸 **** 🇪🇸"),
        ("fu\u{0308}ck", "****"), // decomposed ü: one Character, one star
        ("fuck\u{0301}", "****"),
        ("e\u{0301}cole shit", "e\u{0301}cole ****"),
        ("👨‍👩‍👧 shit 👨‍👩‍👧", "👨‍👩‍👧 **** 👨‍👩‍👧"),
        ("line one\nfuck\r\nline three", "line one\n****\r\nline three"),
        ("tab\tshit\tend", "tab\t****\tend"),
        ("\"fuck\" (shit) [piss]", "\"****\" (****) [****]"),
        ("fuck fuck fuck", "**** **** ****"),
        ("", ""),
    ]

    @Test(arguments: exact)
    func masksExactly(input: String, masked: String) {
        #expect(matcher.mask(input) == masked)
    }

    static let graphemeHeavy = [
        "fück the 🇺🇸 and 🇲🇽 flags, shit 👩🏽‍💻",
        "f\u{0337}u\u{0337}c\u{0337}k\u{0337} z̷̢a̴l̸g̵o",
        "ʃṳ𝒸𝗄 ｆｕｃｋ ⓕⓤⓒⓚ",
        "混合 text with 日本語 and puta",
        "Ｆｕｌｌｗｉｄｔｈ ｓｈｉｔ",
        "a\r\nb\r\nshit\r\n",
        "👍🏻👍🏼👍🏽👍🏾👍🏿 f.u.c.k",
    ]

    @Test(arguments: graphemeHeavy)
    func keepsCharacterCount(input: String) {
        let scan = matcher.scan(input)
        #expect(scan.masked.count == input.count)
        #expect(!scan.isClean)
        // Every changed Character became a star; nothing else moved.
        for (before, after) in zip(input, scan.masked) where before != after {
            #expect(after == "*")
        }
    }

    @Test func reportsRangesInCharacters() {
        let scan = matcher.scan("you f.u.c.k! 🇪🇸 shit")
        #expect(scan.maskedCount == 2)
        #expect(scan.matches == [
            ProfanityMatch(range: 4..<11, word: "fuck", text: "f.u.c.k"),
            ProfanityMatch(range: 15..<19, word: "shit", text: "shit"),
        ])
        #expect(scan.masked == "you *.*.*.*! 🇪🇸 ****")
    }

    @Test func leftOutLeetIsNotPartOfTheMatch() {
        let scan = matcher.scan("@bitch and fuck11")
        #expect(scan.matches.map(\.text) == ["bitch", "fuck"])
        #expect(scan.matches.map(\.range) == [1..<6, 11..<15])
        #expect(scan.masked == "@***** and ****11")
    }

    @Test func cleanTextIsReturnedAsIs() {
        let text = "Nothing to see here: class, assessment, Scunthorpe. 🙂"
        let scan = matcher.scan(text)
        #expect(scan == ProfanityScan(masked: text, matches: []))
        #expect(scan.isClean)
        #expect(!matcher.containsProfanity(text))
        #expect(matcher.containsProfanity("oh shit"))
    }

    @Test func countsEveryMaskedWord() {
        #expect(matcher.scan("fuck this shit, you b1tch, hijo de puta").maskedCount == 4)
    }

    @Test func longMessagesStayLinear() {
        let text = String(repeating: "clean words and a fuck here ", count: 150) // ~4 KiB
        let scan = matcher.scan(text)
        #expect(scan.maskedCount == 150)
        #expect(scan.masked.count == text.count)
    }

    @Test func isUsableFromManyTasks() async {
        let matcher = self.matcher
        let counts = await withTaskGroup(of: Int.self) { group in
            for i in 0..<16 {
                group.addTask { matcher.scan("message \(i): shit and more shit").maskedCount }
            }
            return await group.reduce(0, +)
        }
        #expect(counts == 32)
    }
}
