import ChatModel
import ChatTUI
import Testing

@Suite struct InputEditingTests {
    @Test func typingAndCursorMovement() {
        var s = makeState()
        s.type("helo")
        s.key(.left)
        s.type("l")
        #expect(s.input.text == "hello")
        #expect(s.input.cursor == 4)
        s.key(.home)
        #expect(s.input.cursor == 0)
        s.key(.backspace)  // at position 0: nothing
        #expect(s.input.text == "hello")
        s.key(.left)  // stays at 0
        #expect(s.input.cursor == 0)
        s.key(.delete)
        #expect(s.input.text == "ello")
        s.key(.end)
        s.key(.right)  // stays at end
        #expect(s.input.cursor == 4)
        s.key(.backspace)
        #expect(s.input.text == "ell")
    }

    @Test func emacsKeys() {
        var s = makeState()
        s.type("one two three")
        s.key(.ctrl("a"))
        #expect(s.input.cursor == 0)
        s.key(.ctrl("e"))
        #expect(s.input.cursor == 13)
        s.key(.ctrl("w"))
        #expect(s.input.text == "one two ")
        s.key(.ctrl("w"))
        #expect(s.input.text == "one ")
        s.type("2 3")
        for _ in 0..<2 { s.key(.left) }
        s.key(.ctrl("k"))
        #expect(s.input.text == "one 2")
        s.key(.left)
        s.key(.ctrl("u"))
        #expect(s.input.text == "2")
        #expect(s.input.cursor == 0)
    }

    @Test func controlAndBidiCharactersAreNotInserted() {
        var s = makeState()
        s.type("a\u{1b}b\u{202e}c\u{7}")
        #expect(s.input.text == "abc")
    }

    @Test func wideCharactersAreSingleEditUnits() {
        var s = makeState()
        s.type("你好👍🏽")
        #expect(s.input.chars.count == 3)
        s.key(.backspace)
        #expect(s.input.text == "你好")
    }

    @Test func historyWithCtrlPN() {
        var s = makeState()
        s.submit("first")
        s.submit("second")
        s.type("draft")
        s.key(.ctrl("p"))
        #expect(s.input.text == "second")
        s.key(.ctrl("p"))
        #expect(s.input.text == "first")
        s.key(.ctrl("p"))  // no older entry: stays
        #expect(s.input.text == "first")
        s.key(.ctrl("n"))
        #expect(s.input.text == "second")
        s.key(.ctrl("n"))
        #expect(s.input.text == "draft")
        s.key(.ctrl("n"))
        #expect(s.input.text == "draft")
    }

    @Test func enterWithEmptyOrBlankInputDoesNothing() {
        var s = makeState()
        let before = s
        #expect(s.key(.enter).isEmpty)
        s.type("   ")
        #expect(s.key(.enter).isEmpty)
        #expect(s.channels == before.channels)
        #expect(s.history.entries.isEmpty)
        #expect(s.input.text == "   ")
    }

    @Test func tabCompletesNicksSeenInChannel() {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bobby", "hi")))
        s.send(.incoming(msg("2", "general", "bob", "hi")))
        s.send(.incoming(msg("3", "random", "carol", "hi")))
        s.type("bo")
        s.key(.tab)
        #expect(s.input.text == "bob: ")  // most recent speaker first, line start gets ": "
        s.key(.tab)
        #expect(s.input.text == "bobby: ")
        s.key(.tab)
        #expect(s.input.text == "bob: ")
        s.key(.ctrl("u"))
        s.type("ask @B")
        s.key(.tab)
        #expect(s.input.text == "ask @bob ")
        s.key(.ctrl("u"))
        s.type("ca")  // carol only spoke in #random
        s.key(.tab)
        #expect(s.input.text == "ca")
        s.key(.ctrl("u"))
        s.type("al")  // never completes to myself
        s.send(.incoming(msg("4", "general", "alice", "me")))
        s.key(.tab)
        #expect(s.input.text == "al")
    }

    @Test func tabCompletesInTheMiddleOfTheLine() {
        var s = makeState()
        s.send(.control(.join(user: "dave", channel: "general", timestamp: t0)))
        s.type("hi d there")
        for _ in 0..<6 { s.key(.left) }
        s.key(.tab)
        #expect(s.input.text == "hi dave there")
        #expect(s.input.cursor == 8)
    }
}
