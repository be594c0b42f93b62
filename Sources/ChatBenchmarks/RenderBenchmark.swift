import ChatModel
import ChatTUI
import Dispatch
import Foundation

/// Frame time of `render` with a long channel history, and the process's resident memory.
public struct RenderBenchmark: Sendable {
    public struct Result: Sendable {
        public var frames: LatencySummary
        public var scrolledFrames: LatencySummary
        public var residentMiB: Double
    }

    public var messages: Int
    public var frames: Int
    public var size: TermSize

    public init(messages: Int = 100_000, frames: Int = 300, size: TermSize = TermSize(cols: 160, rows: 48)) {
        self.messages = messages
        self.frames = frames
        self.size = size
    }

    public func run() -> Result {
        var state = TUIState(me: "alice", channels: ["general"], size: size)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for i in 0..<messages {
            let text = i % 10 == 0 ? "a longer line that wraps: " + String(repeating: "lorem ipsum 你好 🎉 ", count: 12)
                : "message number \(i) from the history"
            state.channels[0].append(ChatLine(kind: .message, id: "m\(i)", author: "user\(i % 50)", text: text,
                                              timestamp: start.addingTimeInterval(Double(i))))
        }
        var bottom: [Double] = []
        for i in 0..<frames {
            state.input.insert(Character(UnicodeScalar(UInt8(97 + i % 26))))
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = render(state, size: size)
            bottom.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
        }
        var scrolled: [Double] = []
        for _ in 0..<frames {
            _ = state.reduce(.key(.pageUp))
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = render(state, size: size)
            scrolled.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
        }
        return Result(frames: LatencySummary(microseconds: bottom), scrolledFrames: LatencySummary(microseconds: scrolled),
                      residentMiB: Self.residentMiB())
    }

    static func residentMiB() -> Double {
        ProcessMemory.residentKiB.map { Double($0) / 1024 } ?? .nan
    }
}
