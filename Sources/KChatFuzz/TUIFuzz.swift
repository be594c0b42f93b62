import ChatModel
import ChatTUI
import Foundation

/// Target `tui`: a session of the pure TUI. Each action is an opcode byte and its arguments
/// (strings are a length byte and that many bytes, decoded as UTF-8 with repair): key presses
/// (any Unicode scalar, including C0/C1 control bytes and ESC, special keys, Ctrl + any
/// character, resizes to any size including 0x0 and negative), received messages and control
/// events with arbitrary text, delivery reports, history pages, info and error lines, and
/// bracketed-paste-like bursts. Every action is followed by `render(state, size: state.size)`.
/// Checks: the grid has rows x cols cells, the cursor is inside it, and no cell holds a control
/// scalar (escapes must never reach the terminal).
enum TUIFuzz {
    static let t0 = Date(timeIntervalSince1970: 1_795_371_584)
    static let names = ["alice", "bob", "carol", "", "@alice+bob", "general", "random", "x"]
    static let channelNames = ["general", "random", "@alice+bob", "@bob+alice", "new", "", "#general", "GENERAL"]
    static let ids = ["m1", "m2", "m3", "", "00000000-0000-0000-0000-000000000000"]
    static let specialKeys: [Key] = [.enter, .backspace, .delete, .left, .right, .home, .end, .up, .down, .pageUp,
                                     .pageDown, .tab, .esc, .mouseWheelUp, .mouseWheelDown]

    static func timestamp(_ input: inout FuzzInput) -> Date {
        switch input.int(below: 8) {
        case 0: return Date(timeIntervalSince1970: 0)
        case 1: return Date(timeIntervalSince1970: -62_135_596_800)  // year 1
        case 2: return Date(timeIntervalSince1970: 253_402_300_799)  // year 9999
        case 3: return Date(timeIntervalSince1970: Double(input.int32()) * 1_000)  // up to ~68,000 years either way
        case 4: return t0.addingTimeInterval(Double(input.int32()))
        default: return t0.addingTimeInterval(Double(input.byte()) * 60)
        }
    }

    static func name(_ input: inout FuzzInput, from table: [String]) -> String {
        let choice = input.int(below: table.count + 1)
        return choice < table.count ? table[choice] : input.text()
    }

    static func message(_ input: inout FuzzInput, me: String) -> ChatMessage {
        ChatMessage(id: name(&input, from: ids), channel: name(&input, from: channelNames),
                    author: input.int(below: 4) == 0 ? me : name(&input, from: names),
                    data: input.text(), timestamp: timestamp(&input),
                    moderation: input.int(below: 4) == 0 ? .init(masked: Int(input.int32())) : nil)  // safe: widening
    }

    static func scalarCharacter(_ input: inout FuzzInput) -> Character {
        // One Unicode scalar: a byte alone (C0, ASCII, C1 as U+0080...U+00FF) or a longer one.
        let first = input.byte()
        if first < 0xF0 { return Character(Unicode.Scalar(first)) }
        let value = UInt32(input.byte()) << 8 | UInt32(input.byte()) | UInt32(first & 0x01) << 16  // safe: widening
        return Unicode.Scalar(value).map(Character.init) ?? "\u{FFFD}"
    }

    static func action(_ input: inout FuzzInput, me: String) -> [TUIAction] {
        switch input.int(below: 16) {
        case 0, 1, 2, 3: return [.key(.char(scalarCharacter(&input)))]
        case 4: return [.key(input.pick(specialKeys))]
        case 5: return [.key(.ctrl(scalarCharacter(&input)))]
        case 6: return [.key(.resize(cols: Int(Int8(bitPattern: input.byte())), rows: Int(Int8(bitPattern: input.byte()))))]
        case 7:
            // A whole grapheme (possibly many scalars: emoji, combining marks, wide CJK) typed as one key.
            return input.text().map { .key(.char($0)) }
        case 8, 9: return [.incoming(message(&input, me: me))]
        case 10:
            let kind = input.pick(ControlEvent.Kind.allCases)
            let event = ControlEvent(type: kind, user: input.int(below: 3) == 0 ? me : name(&input, from: names),
                                     warnings: input.int(below: 3) == 0 ? nil : Int(input.int32()),  // safe: widening
                                     limit: input.int(below: 3) == 0 ? nil : Int(input.int32()),  // safe: widening
                                     channel: input.int(below: 3) == 0 ? nil : name(&input, from: channelNames),
                                     messageId: input.int(below: 3) == 0 ? nil : name(&input, from: ids),
                                     timestamp: timestamp(&input),
                                     reason: input.int(below: 2) == 0 ? nil : input.text())
            return [.control(event)]
        case 11:
            let id = name(&input, from: ids)
            return [.delivery(id: id, result: input.int(below: 2) == 0 ? .delivered : .failed(input.text()))]
        case 12:
            let detail: String? = input.int(below: 2) == 0 ? nil : input.text()
            return [.connection(input.pick([ConnectionStatus.connecting(detail), .connected(detail), .disconnected(detail)]))]
        case 13:
            let channel = name(&input, from: channelNames)
            let count = input.int(below: 6)
            return [.historyLoaded(channel: channel, messages: (0..<count).map { _ in message(&input, me: me) })]
        case 14:
            return input.int(below: 2) == 0 ? [.info((0..<input.int(below: 4)).map { _ in input.text() })] : [.error(input.text())]
        default:
            // A paste: many characters at once, newlines included, then Enter.
            return input.text().map { .key(.char($0)) } + [.key(.enter), .tick]
        }
    }

    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let me = input.pick(["alice", "bob", "Alice", "x"])
        var state = TUIState(me: me, channels: ["general", "random"], size: TermSize(cols: 80, rows: 24))
        var now = t0
        _ = state.reduce(.start, now: now)
        var actions = 0
        while !input.isAtEnd, actions < 128 {
            for action in action(&input, me: me) {
                now = now.addingTimeInterval(1)
                _ = state.reduce(action, now: now)
                actions += 1
            }
            check(render(state, size: state.size), size: state.size)
        }
    }

    static func check(_ grid: CellGrid, size: TermSize) {
        invariant(grid.cells.count == grid.rows * grid.cols, "grid of \(grid.rows)x\(grid.cols) has \(grid.cells.count) cells")
        if let cursor = grid.cursor {
            invariant((0..<grid.rows).contains(cursor.row) && (0..<grid.cols).contains(cursor.col),
                      "cursor \(cursor) outside a \(grid.rows)x\(grid.cols) grid")
        }
        for cell in grid.cells {
            for scalar in cell.character.unicodeScalars {
                let v = scalar.value
                invariant(!(v < 0x20 || (0x7F...0x9F).contains(v)),
                          "control scalar U+\(String(v, radix: 16)) in a rendered cell: \(grid.lines)")
            }
        }
    }
}
