import ChatModel
import ChatTUI
import Testing

@Suite struct PasteTests {
    @Test func aMultiLinePasteIsOneMessageWithItsLineBreaks() {
        var s = makeState(cols: 40)
        s.key(.paste("first line\r\nsecond line\n/quit\n"))
        #expect(s.input.text == "first line\nsecond line\n/quit\n")
        #expect(s.screen()[s.size.rows - 1].hasPrefix("< ") || s.screen()[s.size.rows - 1].contains("⏎"))
        let effects = s.key(.enter)
        #expect(!effects.contains(.quit), "a pasted /quit is text, not a command")
        #expect(effects.sentMessages.map(\.data) == ["first line\nsecond line\n/quit\n"])
        #expect(s.input.isEmpty && !s.input.hasPaste)
        // Shown as lines of one message.
        #expect(s.screen().contains { $0.contains("alice: first line") })
        #expect(s.screen().contains { $0.contains("second line") })
        // Typed again, a command is a command (once the message is delivered, /quit quits at once).
        for message in effects.sentMessages { s.send(.delivery(id: message.id, result: .delivered)) }
        #expect(s.submit("/quit").contains(.quit))
    }

    @Test func aPastedCommandIsSentAsText() {
        var s = makeState()
        s.key(.paste("/msg bob hi"))
        let effects = s.key(.enter)
        #expect(effects.sentMessages.map(\.data) == ["/msg bob hi"])
        #expect(s.channel("@alice+bob") == nil, "no DM was opened")
        s.key(.paste("//not halved"))
        #expect(s.key(.enter).sentMessages.map(\.data) == ["//not halved"])
    }

    @Test func escapesInAPasteAreMadeVisibleAndTheLineShowsBreaksAsSymbols() {
        var s = makeState(cols: 40)
        s.type("say: ")
        s.key(.paste("\u{1B}[2J\u{1B}]0;pwned\u{07}\ttwo\nlines"))
        #expect(!s.input.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x09 })
        #expect(s.input.text.contains("␛[2J"))
        let row = s.screen()[s.size.rows - 1]
        #expect(row.contains("⏎lines"), "\(row)")
        #expect(!row.contains("\n"))
    }

    @Test func theInputLineCountsBytesNearTheLimitAndSaysWhenTooLong() {
        var s = makeState(cols: 60)
        s.key(.paste(String(repeating: "a", count: 3000)))
        #expect(!s.screen()[s.size.rows - 1].contains("/4096"), "far from the limit: no counter")
        s.key(.paste(String(repeating: "é", count: 300)))  // 600 more bytes
        #expect(s.screen()[s.size.rows - 1].hasSuffix(" 3600/4096"))
        s.key(.paste(String(repeating: "b", count: 600)))
        #expect(s.screen()[s.size.rows - 1].hasSuffix(" 4200/4096 too long"))
        let effects = s.key(.enter)
        #expect(effects.sentMessages.isEmpty)
        #expect(s.texts("general").last?.contains("4096") == true, "the reason, not a silent drop")
        #expect(s.input.byteCount == 4200, "the text stays for editing")
    }

    @Test func aBlockedUserCannotPaste() {
        var s = makeState()
        s.send(.control(.blocked(user: "alice", warnings: 3, limit: 3)))
        #expect(s.isInputDisabled)
        s.key(.paste("hello\nworld"))
        #expect(s.input.isEmpty)
    }
}
