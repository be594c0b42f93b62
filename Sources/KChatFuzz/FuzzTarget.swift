/// One fuzz target: a function from arbitrary bytes to nothing that must never trap.
/// See docs/FUZZING.md.
public struct FuzzTarget: Sendable {
    public let name: String
    public let summary: String
    public let run: @Sendable ([UInt8]) -> Void

    public init(name: String, summary: String, run: @escaping @Sendable ([UInt8]) -> Void) {
        self.name = name
        self.summary = summary
        self.run = run
    }
}

public enum FuzzTargets {
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "kafka",
                   summary: "request frames -> KafkaRequest.decode -> the broker's connection handler in memory -> responses",
                   run: KafkaFuzz.run),
        FuzzTarget(name: "moderation",
                   summary: "chat records (key 0x1F value, records split by 0x1E) -> ModerationEngine.moderate -> outputs -> JSON",
                   run: ModerationFuzz.run),
        FuzzTarget(name: "control",
                   summary: "chat_control values (split by 0x1E) -> ControlEvent.decode -> ModerationEngine.apply -> moderate",
                   run: ControlFuzz.run),
        FuzzTarget(name: "tui",
                   summary: "bytes -> TUIActions (keys, control bytes, messages, events, resizes) -> reduce + render",
                   run: TUIFuzz.run),
        FuzzTarget(name: "api",
                   summary: "'METHOD URI\\nAUTH\\nBODY' -> the Hummingbird router of ChatAPI over an in-memory SQLite store",
                   run: APIFuzz.run),
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// A violated property (not a trap in kchat itself, but a harness check): stops the run like a
/// crash so libFuzzer saves the input.
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
               file: StaticString = #file, line: UInt = #line) {
    if !condition() { fatalError("invariant: \(message())", file: file, line: line) }
}
