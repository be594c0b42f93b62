import ChatModel
import ChatTUI
import Foundation
import Testing

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("~", 1), ("é", 1), ("e\u{301}", 1), ("ü", 1), ("Ж", 1), ("ｱ", 1), ("…", 1), ("␛", 1),
        ("你", 2), ("好", 2), ("한", 2), ("か", 2), ("Ａ", 2), ("　", 2), ("𠀋", 2),
        ("👍", 2), ("👍🏽", 2), ("👨‍👩‍👧", 2), ("🇫🇷", 2), ("❤️", 2), ("1️⃣", 2), ("🏳️‍🌈", 2),
        ("❤", 1), ("☺", 1), ("☺︎", 1),
        ("\u{301}", 0), ("\u{200B}", 0), ("\u{7}", 0), ("\u{1b}", 0), ("\u{9b}", 0),
    ])
    func widthOfCharacter(text: String, width: Int) throws {
        let c = try #require(text.count == 1 ? text.first : nil)
        #expect(DisplayWidth.of(c) == width)
    }

    @Test func widthOfString() {
        #expect(DisplayWidth.of("ab你好👍🏽") == 8)
        #expect(DisplayWidth.of("") == 0)
    }
}

@Suite struct WideCharacterRenderTests {
    @Test func cjkLineIsCutWithoutSplittingCharacters() {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bob", String(repeating: "你好", count: 30))))
        let grid = render(s, size: s.size)
        // Pane is 47 columns: 11 for "18:19 bob: " + 18 wide chars; continuation rows have
        // 41 columns after the indent: 20 wide chars and one unused column.
        #expect(grid.lines[0] == " general    │18:19 bob: " + String(repeating: "你好", count: 9))
        #expect(grid.lines[1] == " random     │      " + String(repeating: "你好", count: 10))
        #expect(grid.lines[2] == "            │      " + String(repeating: "你好", count: 10))
        #expect(grid.lines[3] == "            │      你好")
        #expect(grid[1, 59] == Cell.blank)
        for row in 0..<4 {
            var col = 13
            while col < 60 {
                let cell = grid[row, col]
                #expect(!cell.isContinuation, "row \(row) col \(col) starts inside a wide char")
                if cell.width == 2 {
                    #expect(col + 1 < 60)
                    #expect(grid[row, col + 1].isContinuation)
                    col += 2
                } else {
                    col += 1
                }
            }
        }
        let total = (0..<4).map { grid.text(row: $0).filter { $0 == "你" || $0 == "好" }.count }.reduce(0, +)
        #expect(total == 60)
    }

    @Test func emojiTakeTwoCells() {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bob", "👍🏽x👨‍👩‍👧")))
        let grid = render(s, size: s.size)
        #expect(grid.lines[0] == " general    │18:19 bob: 👍🏽x👨‍👩‍👧")
        #expect(grid[0, 24].character == "👍🏽" && grid[0, 24].width == 2)
        #expect(grid[0, 25].isContinuation)
        #expect(grid[0, 26].character == "x")
        #expect(grid[0, 27].character == "👨‍👩‍👧")
        #expect(grid[0, 29] == Cell.blank)
    }
}

@Suite struct EscapeSafetyTests {
    static let hostile = "\u{1b}[31mred\u{1b}[0m \u{9b}2J \u{202e}abc \u{7}\u{1b}]0;pwned\u{7}"

    @Test func escapesAreRenderedVisibly() {
        var s = makeState(cols: 100)
        s.send(.incoming(msg("1", "general", "bob", Self.hostile)))
        let line = s.screen()[0]
        #expect(line.hasSuffix("18:19 bob: ␛[31mred␛[0m ␛[2J ⟨RLO⟩abc ␇␛]0;pwned␇"))
    }

    @Test func noCellEverHoldsAnUnsafeScalar() {
        var s = makeState()
        s.send(.incoming(ChatMessage(id: "1", channel: "general", author: "b\u{1b}[2Job", data: Self.hostile + "\t\r\n\u{85}",
                                     timestamp: t0)))
        s.send(.control(.join(user: "ev\u{1b}il", channel: "general", timestamp: t0)))
        s.send(.control(.warning(user: "alice", warnings: 1, limit: 3, reason: "\u{1b}[5mblink", timestamp: t0)))
        s.send(.info(["\u{1b}c reset"]))
        s.broker = "host\u{1b}[H:9092"
        let grid = render(s, size: s.size)
        for cell in grid.cells {
            #expect(!cell.character.unicodeScalars.contains(where: TerminalSanitizer.isUnsafe))
        }
        #expect(grid.lines.joined().contains("␛[5mblink"))
    }

    @Test func stackedCombiningMarksAreCapped() {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bob", "z" + String(repeating: "\u{301}", count: 300) + "!")))
        let grid = render(s, size: s.size)
        #expect(grid[0, 24].character.unicodeScalars.count == 16)
        #expect(grid[0, 24].character.unicodeScalars.first == "z")
        #expect(grid[0, 25].character == "!")
    }
}
