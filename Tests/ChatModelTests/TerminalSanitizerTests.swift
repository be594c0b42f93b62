import ChatModel
import Testing

@Suite struct TerminalSanitizerTests {
    @Test func ansiColourEscapeIsMadeVisible() {
        #expect(TerminalSanitizer.sanitize("\u{1b}[31mred\u{1b}[0m") == "␛[31mred␛[0m")
    }

    @Test func c1ControlsAreMadeVisible() {
        #expect(TerminalSanitizer.sanitize("a\u{9b}2Jb") == "a␛[2Jb")  // 8-bit CSI
        #expect(TerminalSanitizer.sanitize("\u{9d}0;title\u{9c}") == "␛]0;title␛\\")  // OSC ... ST
        #expect(TerminalSanitizer.sanitize("\u{85}") == "␛E")
    }

    @Test func bidiOverridesAreMadeVisible() {
        #expect(TerminalSanitizer.sanitize("abc\u{202e}fed") == "abc⟨RLO⟩fed")
        #expect(TerminalSanitizer.sanitize("\u{2066}x\u{2069}") == "⟨LRI⟩x⟨PDI⟩")
    }

    @Test func otherControls() {
        #expect(TerminalSanitizer.sanitize("ding\u{7}") == "ding␇")
        #expect(TerminalSanitizer.sanitize("nul\u{0}del\u{7f}bs\u{8}") == "nul␀del␡bs␈")
        #expect(TerminalSanitizer.sanitize("a\tb") == "a    b")
    }

    @Test func newlines() {
        #expect(TerminalSanitizer.sanitize("one\ntwo\r\nthree\rfour") == "one⏎two⏎three⏎four")
        #expect(TerminalSanitizer.sanitize("one\r\ntwo", newlines: .preserve) == "one\ntwo")
        #expect(TerminalSanitizer.lines("a\nb\u{2028}c\r\n") == ["a", "b", "c", ""])
    }

    @Test func safeTextIsUnchanged() {
        let s = "héllo 你好 👍🏽 👨‍👩‍👧 e\u{301}"
        #expect(TerminalSanitizer.sanitize(s) == s)
        #expect(!TerminalSanitizer.needsSanitizing(s))
    }

    @Test func outputNeverContainsUnsafeScalars() {
        var all = ""
        for v in 0..<0x250 { all.unicodeScalars.append(Unicode.Scalar(v)!) }
        for v in [0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069] {
            all.unicodeScalars.append(Unicode.Scalar(v)!)
        }
        let out = TerminalSanitizer.sanitize(all)
        #expect(!out.unicodeScalars.contains(where: TerminalSanitizer.isUnsafe))
        #expect(!TerminalSanitizer.needsSanitizing(out))
    }
}
