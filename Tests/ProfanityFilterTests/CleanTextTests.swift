import ProfanityFilter
import Testing

/// Innocent text that must come back unchanged: the Scunthorpe problem,
/// near-misses, numbers, URLs, other scripts.
@Suite struct CleanTextTests {
    static let scunthorpe = [
        "class", "assessment", "Scunthorpe", "computadora", "therapist", "Dickens", "cocktail",
        "grape", "analysis", "Essex", "Sussex", "Middlesex", "passage", "shitake", "shiitake",
        "Matsushita", "pussycat", "assassin", "bass", "grass", "harass", "embarrassment",
        "compass", "classic", "cockpit", "cockroach", "peacock", "Hitchcock", "shuttlecock",
        "cocksure", "Dickinson", "dicker", "title", "titanic", "scrap", "Penistone",
        "Cockermouth", "Clitheroe", "arsenal", "arsenic", "Pissarro", "button", "buttress",
        "document", "circumstance", "cumin", "niggardly", "snigger", "Fukushima", "Fukuoka",
        "Phuket", "whorl", "wankel", "bastardize", "pricked", "Shiite", "Shiites", "assess",
        "Mammon", "Twatt", "culotte", "hello", "shell", "shellfish",
    ]

    @Test(arguments: scunthorpe)
    func innocentWordsStayClean(word: String) {
        for text in [word, word.lowercased(), word.uppercased(), "the \(word) again"] {
            let scan = ProfanityMatcher.default.scan(text)
            #expect(scan.isClean, "\(text) matched \(scan.matches.map(\.word))")
            #expect(scan.masked == text)
        }
    }

    static let sentences = [
        "I'll be there at 5",
        "hello, world",
        "call me at 555-0100",
        "I have 455 points and 1337 coins",
        "pi is 3.14159",
        "the test took 45s, then 55s",
        "commit 8b1dbbef1aec3b6880186070e7386a5553d67b15",
        "1080p at 60fps on a PS5",
        "10:45 am, 7 days, 4 weeks",
        "my new phone is an A55, the old one was a B52",
        "see https://example.com/class/assessment?id=42&lang=en",
        "mail user.name@example.com",
        "version v1.2.3 shipped",
        "a b c d e f g",
        "I a m here",
        "s.h.i.p it",
        "f.u.n times",
        "as long as it works",
        "magna cum laude",
        "that is sh*t", // already self-censored: nothing left to mask
        "sh_it happens in snake_case_names",
        "😀🎉👍🏽 👨‍👩‍👧 🇪🇸",
        "你好世界，今天天气很好。",
        "こんにちは、元気ですか",
        "안녕하세요 여러분",
        "Привет, как дела? Всё хорошо.",
        "Καλημέρα σας",
        "Wie geht's? Schön!",
        "fuuck", // one extra letter is not stretching: too close to real words (Shiite)
    ]

    @Test(arguments: sentences)
    func innocentSentencesStayClean(text: String) {
        let scan = ProfanityMatcher.default.scan(text)
        #expect(scan.isClean, "matched \(scan.matches.map(\.word))")
        #expect(scan.masked == text)
        #expect(scan.maskedCount == 0)
    }
}
