import ChatModel
import ChatTUI
import Foundation
import Testing

@Suite struct ScrollTests {
    /// 20 one-row messages m0...m19 in #general on a 60x10 screen (8 message rows).
    func scrolledState(count: Int = 20) -> TUIState {
        var s = makeState()
        for i in 0..<count {
            s.send(.incoming(msg("id\(i)", "general", "bob", "m\(i)", at: t0 + Double(i))))
        }
        return s
    }

    func messageTexts(_ s: TUIState) -> [String] {
        render(s, size: s.size).lines[0..<8].map { line in
            String(line.drop { $0 != "│" }.dropFirst())
        }
    }

    @Test func bottomShowsNewest() {
        let s = scrolledState()
        #expect(messageTexts(s).first == "18:19 bob: m12")
        #expect(messageTexts(s).last == "18:20 bob: m19")
    }

    @Test func pageUpShowsMoreMarkerAndPageDownReturns() {
        var s = scrolledState()
        #expect(s.key(.pageUp).isEmpty)
        #expect(s.currentChannel?.isScrolledUp == true)
        let rows = messageTexts(s)
        #expect(rows[0] == "18:19 bob: m7")
        #expect(rows[6] == "18:19 bob: m13")
        #expect(rows[7] == "-MORE(6)-")
        let grid = render(s, size: s.size)
        #expect(grid[7, 13].style.reverse)
        s.key(.pageDown)
        #expect(s.currentChannel?.scroll == .bottom)
        #expect(messageTexts(s).last == "18:20 bob: m19")
    }

    @Test func newMessagesWhileScrolledKeepTheViewAndGrowTheCount() {
        var s = scrolledState()
        s.key(.pageUp)
        s.send(.incoming(msg("new", "general", "carol", "fresh", at: t0 + 100)))
        let rows = messageTexts(s)
        #expect(rows[0] == "18:19 bob: m7")
        #expect(rows[7] == "-MORE(7)-")
        s.key(.esc)  // Esc jumps back to the newest line
        #expect(messageTexts(s)[7] == "18:21 carol: fresh")
    }

    @Test func mouseWheelScrollsThreeRows() {
        var s = scrolledState()
        s.key(.mouseWheelUp)
        #expect(messageTexts(s)[6] == "18:20 bob: m16")
        #expect(messageTexts(s)[7] == "-MORE(3)-")
        s.key(.mouseWheelDown)
        #expect(s.currentChannel?.scroll == .bottom)
    }

    @Test func reachingTheTopRequestsOlderHistoryOnce() {
        var s = scrolledState()
        #expect(s.key(.pageUp).isEmpty)
        #expect(s.key(.pageUp).isEmpty)
        #expect(messageTexts(s)[0] == "18:19 bob: m1")  // one row is still above
        #expect(s.key(.pageUp) == [.requestHistory(channel: "general", before: "id0")])
        #expect(messageTexts(s)[0] == "18:19 bob: m0")  // clamped at the top
        #expect(messageTexts(s)[7] == "-MORE(13)-")
        #expect(s.key(.pageUp).isEmpty)  // request in flight
        let older = (0..<5).map { msg("old\($0)", "general", "dave", "o\($0)", at: t0 - 100 + Double($0)) }
        s.send(.historyLoaded(channel: "general", messages: older.reversed()))
        #expect(messageTexts(s)[0] == "18:19 bob: m0")  // the view stays on the same lines
        #expect(s.key(.pageUp) == [.requestHistory(channel: "general", before: "old0")])
        #expect(messageTexts(s)[0] == "18:18 dave: o0")
        s.send(.historyLoaded(channel: "general", messages: []))
        #expect(s.key(.pageUp).isEmpty)  // exhausted: no more requests
    }

    @Test func shortChannelCannotScrollButAsksForHistory() {
        var s = scrolledState(count: 3)
        #expect(s.key(.pageUp) == [.requestHistory(channel: "general", before: "id0")])
        #expect(s.currentChannel?.scroll == .bottom)
        #expect(messageTexts(s)[0] == "18:19 bob: m0")
    }

    @Test func wrappedLinesScrollByRows() {
        var s = makeState()
        s.send(.incoming(msg("long", "general", "bob", String(repeating: "word ", count: 60))))
        for i in 0..<8 { s.send(.incoming(msg("id\(i)", "general", "bob", "m\(i)"))) }
        s.key(.pageUp)
        var rows = messageTexts(s)
        #expect(rows[7] == "-MORE(6)-")
        #expect(rows[6] == "18:19 bob: m1")
        #expect(rows[5] == "18:19 bob: m0")
        #expect(rows[4].hasPrefix("      word word"))  // the last row of the long message
        s.key(.mouseWheelUp)
        rows = messageTexts(s)
        #expect(rows[7] == "-MORE(9)-")  // the long message is partly below the view
        #expect(rows[6].hasPrefix("      word word"))
        #expect(rows.filter { $0.isEmpty }.isEmpty)
    }

    @Test func resizeKeepsAValidView() {
        var s = scrolledState()
        s.key(.pageUp)
        s.key(.resize(cols: 40, rows: 30))  // everything fits now
        let lines = render(s, size: s.size).lines
        #expect(lines.contains { $0.hasSuffix("bob: m19") })
        #expect(!lines.contains { $0.contains("-MORE(") })
    }
}

@Suite struct LargeHistoryTests {
    // Frame time with 100k messages is measured by the benchmark, not asserted here.
    @Test func hundredThousandLinesRenderAndScroll() {
        var s = makeState(cols: 120, rows: 40)
        for i in 0..<100_000 {
            s.channels[0].append(ChatLine(kind: .message, id: "id\(i)", author: "user\(i % 37)",
                                          text: "message number \(i) with some text to wrap around the pane",
                                          timestamp: t0 + Double(i)))
        }
        #expect(s.channels[0].lines.count == 100_000)
        #expect(render(s, size: s.size).lines.contains { $0.contains("message number 99999 ") })
        for _ in 0..<20 { s.key(.pageUp) }
        let lines = render(s, size: s.size).lines
        #expect(!lines.contains { $0.contains("message number 99999 ") })
        #expect(lines.contains { $0.contains("-MORE(") })
    }
}
