import Foundation
import ProfanityFilter
import Testing

@Suite struct ProfanityListTests {
    /// Writes `text` to a fresh temporary file and returns its URL.
    private func temporaryFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("profanity-\(UUID().uuidString).txt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func defaultListsAreReasonablyComplete() {
        #expect(ProfanityList.english.entries.count >= 60)
        #expect(ProfanityList.spanish.entries.count >= 40)
        #expect(ProfanityList.default.entries.count
            == ProfanityList.english.entries.count + ProfanityList.spanish.entries.count)
        #expect(ProfanityList.default.entries.allSatisfy { $0.isValid })
    }

    @Test func fileReplacesTheDefaultList() throws {
        let url = try temporaryFile("""
            # house rules
            banana*

            kiwi   # exact only
            [es]
            sandía*
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let list = try ProfanityList(contentsOf: url)
        #expect(list.entries.map(\.word) == ["banana", "kiwi", "sandía"])
        #expect(list.entries.map(\.isStem) == [true, false, true])
        #expect(list.entries[2].affixes == .spanish)

        let matcher = ProfanityMatcher(list: list)
        #expect(matcher.mask("fuck the bananas") == "fuck the *******")
        #expect(matcher.mask("b4n4n4 and k1w1") == "****** and ****")
        #expect(matcher.mask("kiwis stay") == "kiwis stay")
        #expect(matcher.mask("dos sandías, un sandwich") == "dos *******, un sandwich")
        #expect(matcher.scan("k i w i").matches.map(\.word) == ["kiwi"])
    }

    @Test func stemsTakeTheirAffixesAndExactEntriesDoNot() {
        let list = ProfanityList(words: ["frak*", "gorram"], affixes: .english)
        let matcher = ProfanityMatcher(list: list)
        #expect(matcher.mask("frakking motherfrakker frak") == "******** ************* ****")
        #expect(matcher.mask("gorram gorramit") == "****** gorramit")
        #expect(matcher.mask("frakkle") == "frakkle")
    }

    @Test func sectionsChooseTheAffixes() throws {
        let english = ProfanityMatcher(list: try ProfanityList(parsing: "puta*"))
        #expect(english.mask("putas, puto, Putin") == "*****, puto, Putin")
        let spanish = ProfanityMatcher(list: try ProfanityList(parsing: "[es]\nputa*"))
        #expect(spanish.mask("putas, puto, Putin") == "*****, ****, Putin")
        let all = try ProfanityList(parsing: "[all]\nputa*\n[none]\nfrak*")
        #expect(all.entries.map(\.affixes) == [.all, .none])
    }

    @Test func noAffixesMeansStemsAreExact() {
        let matcher = ProfanityMatcher(list: ProfanityList(words: ["frak*"], affixes: .none))
        #expect(matcher.mask("frak frakking") == "**** frakking")
    }

    @Test func acceptsWindowsLineEndings() throws {
        let list = try ProfanityList(parsing: "# crlf\r\nfoo*\r\n\r\nbar\r\n")
        #expect(list.entries.map(\.word) == ["foo", "bar"])
    }

    static let invalidFiles: [(text: String, error: ProfanityListError)] = [
        ("ok\ntwo words\n", .invalidEntry(line: 2, text: "two words")),
        ("l33t\n", .invalidEntry(line: 1, text: "l33t")),
        ("x\n", .invalidEntry(line: 1, text: "x")),
        ("# c\n*\n", .invalidEntry(line: 2, text: "*")),
        ("[klingon]\nqapla\n", .unknownSection(line: 1, name: "klingon")),
    ]

    @Test(arguments: invalidFiles)
    func rejectsInvalidFiles(text: String, error: ProfanityListError) {
        #expect(throws: error) { try ProfanityList(parsing: text) }
    }

    @Test func missingFileThrows() {
        let url = URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString).txt")
        #expect(throws: (any Error).self) { try ProfanityList(contentsOf: url) }
    }

    @Test func wordsInitializerDropsInvalidWords() {
        let list = ProfanityList(words: ["good", "two words", "", "*", "n1", "ok*"])
        #expect(list.entries.map(\.word) == ["good", "ok"])
    }

    @Test func mergingKeepsBothLists() {
        let merged = ProfanityList(words: ["foo"]).merging(ProfanityList(words: ["bar"]))
        let matcher = ProfanityMatcher(list: merged)
        #expect(matcher.mask("foo bar baz") == "*** *** baz")
    }

    @Test func emptyListMatchesNothing() {
        let matcher = ProfanityMatcher(list: ProfanityList(entries: []))
        #expect(matcher.scan("fuck shit puta").isClean)
    }
}
