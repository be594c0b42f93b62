import ChatModel
import ChatTUI
import Foundation
import Testing
import TestSupport

@Suite struct RobustnessTests {
    static let samples = ["hi", "你好世界", "👨‍👩‍👧 ok", "e\u{301}\u{301}", "\u{1b}[2J", "a\tb\nc", "\u{202e}x",
                          String(repeating: "long ", count: 40), "alice!", "@alice", "\u{9b}31m", " "]
    static let keys: [Key] = [.enter, .backspace, .delete, .left, .right, .home, .end, .up, .down, .pageUp,
                              .pageDown, .tab, .esc, .ctrl("p"), .ctrl("n"), .ctrl("w"), .ctrl("u"), .ctrl("k"),
                              .mouseWheelUp, .mouseWheelDown, .char("x"), .char("/"), .char("你"), .char(" ")]

    /// Checks the grid invariants every driver relies on.
    func checkGrid(_ grid: CellGrid, _ context: String) {
        #expect(grid.cells.count == grid.rows * grid.cols, "\(context)")
        if let c = grid.cursor {
            #expect(c.row >= 0 && c.row < grid.rows && c.col >= 0 && c.col < grid.cols, "cursor \(c) \(context)")
        }
        for r in 0..<grid.rows {
            var c = 0
            while c < grid.cols {
                let cell = grid[r, c]
                #expect(!cell.isContinuation, "orphan continuation at \(r),\(c) \(context)")
                #expect(!cell.character.unicodeScalars.contains(where: TerminalSanitizer.isUnsafe), "\(context)")
                #expect(DisplayWidth.of(cell.character) == cell.width, "width at \(r),\(c) \(context)")
                if cell.width == 2 {
                    #expect(c + 1 < grid.cols && grid[r, c + 1].isContinuation, "\(context)")
                    c += 2
                } else {
                    c += 1
                }
            }
        }
    }

    @Test func randomSessionsKeepInvariants() {
        var rng = SplitMix64(seed: 42)
        for session in 0..<30 {
            var s = makeState(cols: Int.random(in: 20...100, using: &rng), rows: Int.random(in: 6...30, using: &rng))
            for step in 0..<150 {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0...3:
                    s.key(Self.keys.randomElement(using: &rng)!)
                case 4, 5:
                    let channel = ["general", "random", "@alice+bob", "other"].randomElement(using: &rng)!
                    let author = ["bob", "carol", "alice", "x\u{1b}y"].randomElement(using: &rng)!
                    s.send(.incoming(ChatMessage(id: "s\(session)-\(step)", channel: channel, author: author,
                                                 data: Self.samples.randomElement(using: &rng)!,
                                                 timestamp: t0 + Double(step))))
                case 6:
                    s.key(.resize(cols: Int.random(in: 0...120, using: &rng), rows: Int.random(in: 0...40, using: &rng)))
                case 7:
                    let kinds: [ControlEvent] = [
                        .warning(user: "alice", warnings: 1, limit: 3, timestamp: t0),
                        .blocked(user: ["alice", "bob"].randomElement(using: &rng)!, timestamp: t0),
                        .unblocked(user: "alice", timestamp: t0),
                        .join(user: "dave", channel: "general", timestamp: t0),
                    ]
                    s.send(.control(kinds.randomElement(using: &rng)!))
                case 8:
                    s.type(Self.samples.randomElement(using: &rng)!)
                default:
                    let cmd = ["/join #dev", "/part", "/msg bob hi", "/me waves", "/help", "/x"].randomElement(using: &rng)!
                    s.submit(cmd)
                }
                #expect(s.channels.indices.contains(s.selected))
                #expect(s.input.cursor >= 0 && s.input.cursor <= s.input.chars.count)
                if step % 10 == 0 {
                    checkGrid(render(s, size: s.size), "session \(session) step \(step) size \(s.size)")
                }
            }
        }
    }

    @Test func oldLinesAreTrimmedBeyondTheLimit() {
        var s = makeState()
        s.maxLinesPerChannel = 10
        for i in 0..<25 { s.send(.incoming(msg("id\(i)", "general", "bob", "m\(i)"))) }
        let channel = s.channels[0]
        #expect(channel.lines.count <= 11 && channel.lines.count >= 10)
        #expect(channel.lines.last?.text == "m24")
        #expect(!channel.contains(id: "id0"))
        #expect(channel.contains(id: "id24"))
    }

    @Test func nickColoursAreStableFNV1a() {
        #expect(NickColor.fnv1a("") == 0x811C_9DC5)
        #expect(NickColor.fnv1a("a") == 0xE40C_292C)
        #expect(NickColor.fnv1a("foobar") == 0xBF9C_F968)
        #expect(NickColor.of("alice") == NickColor.palette[Int(NickColor.fnv1a("alice") % 12)])
        let colours = Set(["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"].map(NickColor.of))
        #expect(colours.count > 3)
    }
}
