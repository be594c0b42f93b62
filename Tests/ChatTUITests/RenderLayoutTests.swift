import ChatModel
import ChatTUI
import Foundation
import Testing

@Suite struct RenderLayoutTests {
    @Test func smallScreenExactText() throws {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bob", "hi alice")))
        s.send(.incoming(msg("2", "random", "carol", "yo")))
        s.submit("hello")
        let grid = render(s, size: TermSize(cols: 60, rows: 10))
        #expect(grid.lines == [
            " general    │18:19 bob: hi alice",
            " random (1) │18:19 alice: hello …",
            "            │",
            "            │",
            "            │",
            "            │",
            "            │",
            "            │",
            "[alice] #general | localhost:9092 | connected",
            ">",
        ])
        #expect(grid.cursor == CursorPosition(row: 9, col: 2))
        // Styles: selected channel reversed, unread bold, status reversed, nick hashed colour.
        #expect(grid[0, 1].style.reverse)
        #expect(!grid[1, 1].style.reverse && grid[1, 1].style.bold)
        #expect(grid[8, 0].style.reverse && grid[8, 59].style.reverse)
        let nick = grid[0, 19]  // "b" of bob
        #expect(nick.character == "b")
        #expect(nick.style.fg == NickColor.of("bob") && nick.style.bold)
        #expect(grid[0, 13].style.fg == TermColor.brightBlack)  // time
        #expect(grid[0, 24].style.bold)  // text mentioning me
        #expect(grid[1, 26].style.dim)  // own pending text
    }

    @Test func mentionedChannelIsHighlighted() {
        var s = makeState()
        s.send(.incoming(msg("1", "random", "bob", "@alice look")))
        let grid = render(s, size: s.size)
        #expect(grid.lines[1] == " random (1) │")
        #expect(grid[1, 2].style.fg == TermColor.brightMagenta)
        #expect(grid[0, 2].style.fg == TermColor.default)
    }

    @Test func longLineWrapsAtWordsWithIndent() {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bob",
                             "the quick brown fox jumps over the lazy dog and keeps running far away")))
        let lines = s.screen()
        #expect(lines[0] == " general    │18:19 bob: the quick brown fox jumps over the")
        #expect(lines[1] == " random     │      lazy dog and keeps running far away")
        #expect(lines[2] == "            │")
    }

    @Test func unbrokenLongWordIsHardWrapped() {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bob", String(repeating: "x", count: 80))))
        let lines = s.screen()
        #expect(lines[0] == " general    │18:19 bob: " + String(repeating: "x", count: 36))
        #expect(lines[1] == " random     │      " + String(repeating: "x", count: 41))
        #expect(lines[2] == "            │      " + String(repeating: "x", count: 3))
    }

    @Test func multiLineMessagesSplitIntoRows() {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bob", "line one\nline two\r\nline three")))
        let lines = s.screen()
        #expect(Array(lines[0...2]) == [" general    │18:19 bob: line one",
                                       " random     │      line two",
                                       "            │      line three"])
    }

    @Test func systemLinesAreStyledDifferently() {
        var s = makeState()
        s.send(.control(.join(user: "bob", channel: "general", timestamp: t0)))
        s.submit("/nope")
        let grid = render(s, size: s.size)
        #expect(grid.lines[0] == " general    │18:19 --> bob joined #general")
        #expect(grid.lines[1] == " random     │18:19 !! Unknown command: /nope (type /help)")
        #expect(grid[0, 19].style.fg == TermColor.green)
        #expect(grid[1, 19].style.fg == TermColor.red)
    }

    @Test func actionLines() {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bob", "/me waves")))
        #expect(s.screen()[0] == " general    │18:19 * bob waves")
    }

    @Test func timeZoneIsInjectable() {
        var s = makeState()
        s.timeZone = TimeZone(secondsFromGMT: 3600)!
        s.send(.incoming(msg("1", "general", "bob", "hi")))
        #expect(s.screen()[0] == " general    │19:19 bob: hi")
        s.timeZone = TimeZone(secondsFromGMT: 6 * 3600)!  // past midnight
        #expect(s.screen()[0] == " general    │00:19 bob: hi")
        s.timeZone = TimeZone(secondsFromGMT: -(10 * 3600 + 30 * 60))!
        #expect(s.screen()[0] == " general    │07:49 bob: hi")
    }

    @Test func narrowTerminalHidesChannelList() {
        var s = makeState(cols: 30, rows: 6)
        s.send(.incoming(msg("1", "general", "bob", "hello there")))
        let lines = s.screen()
        #expect(lines[0] == "18:19 bob: hello there")
        #expect(lines[4] == "[alice] #general | localhost:…")
    }

    @Test func resizeKeyUpdatesSize() {
        var s = makeState()
        s.key(.resize(cols: 100, rows: 30))
        #expect(s.size == TermSize(cols: 100, rows: 30))
    }

    @Test func tinyTerminalShowsCentredMessage() {
        let s = makeState()
        let grid = render(s, size: TermSize(cols: 19, rows: 6))
        #expect(grid.lines == ["", "Terminal too small", "  (19x6), need at", "    least 20x6", "", ""])
        #expect(grid.cursor == nil)
        let wide = render(s, size: TermSize(cols: 60, rows: 5))
        #expect(wide.lines[2] == "       Terminal too small (60x5), need at least 20x6")
        #expect(render(s, size: TermSize(cols: 0, rows: 0)).cells.isEmpty)
        #expect(render(s, size: TermSize(cols: 3, rows: 1)).lines == ["Ter"])
        #expect(render(s, size: TermSize(cols: 20, rows: 6)).lines[4].hasPrefix("[alice]"))
    }

    @Test func inputScrollsHorizontally() {
        var s = makeState(cols: 20, rows: 6)
        s.type("abcdefghijklmnopqrstuvwxyz0123")
        var grid = render(s, size: s.size)
        #expect(grid.lines[5] == "< nopqrstuvwxyz0123")
        #expect(grid.cursor == CursorPosition(row: 5, col: 19))
        s.key(.home)
        grid = render(s, size: s.size)
        #expect(grid.lines[5] == "> abcdefghijklmnopqr")
        #expect(grid.cursor == CursorPosition(row: 5, col: 2))
        s.key(.right); s.key(.right)
        #expect(render(s, size: s.size).cursor == CursorPosition(row: 5, col: 4))
    }

    @Test func inputCursorCountsWideCharacters() {
        var s = makeState()
        s.type("你好x")
        s.key(.left)
        let grid = render(s, size: s.size)
        #expect(grid.lines[9] == "> 你好x")
        #expect(grid.cursor == CursorPosition(row: 9, col: 6))
    }
}
