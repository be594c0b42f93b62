import ChatApp
import ChatKafka
import ChatTUI
import Dispatch
import Foundation
import Logging

/// One TUI start without a terminal: `LiveChat` (its `LiveChatMachine` and one Kafka session)
/// feeding the pure TUI reducer exactly as `ChatTerminalApp` does, timed from the session's
/// creation to the moment `newestID` is a line of `channel` in the `TUIState`. Run it in a fresh
/// process (`kchat bench startup` starts one per size) so the memory figures are the TUI's alone.
public struct StartupProbe: Sendable {
    public struct Result: Sendable, Codable {
        /// From creating `LiveChat` to the newest message in the TUI state.
        public var seconds: Double
        /// VmRSS just before `LiveChat` was created.
        public var baselineKiB: Int
        /// VmRSS when the newest message was in the state.
        public var residentKiB: Int
        /// VmHWM then (the peak of the whole process so far).
        public var peakKiB: Int
        /// Lines of `channel` in the TUI state then.
        public var lines: Int
    }

    public var brokers: String
    public var channel: String
    public var newestID: String
    public var timeout: Duration = .seconds(120)

    public init(brokers: String, channel: String, newestID: String) {
        self.brokers = brokers
        self.channel = channel
        self.newestID = newestID
    }

    public func run(logger: Logger) async throws -> Result {
        let baseline = ProcessMemory.residentKiB ?? 0
        let (actions, poster) = AsyncStream<TUIAction>.makeStream()
        let start = DispatchTime.now().uptimeNanoseconds
        // No REST API: port 1 refuses at once (the block-state question is answered "unknown").
        let live = try LiveChat(configuration: ChatKafkaConfiguration(brokers: brokers, clientID: "kchat-bench-startup"),
                                user: "benchuser", apiURL: "http://127.0.0.1:1", logger: logger) { poster.yield($0) }
        var state = TUIState(me: "benchuser", broker: brokers, channels: [channel], size: TermSize(cols: 160, rows: 48))
        live.start()
        for effect in state.reduce(.start) { live.perform(effect) }
        let timer = Task { [timeout] in
            try? await Task.sleep(for: timeout)
            poster.finish()
        }
        var found = false
        for await action in actions {
            for effect in state.reduce(action) { live.perform(effect) }
            if state.channels.first?.contains(id: newestID) == true {
                found = true
                break
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let resident = ProcessMemory.residentKiB ?? 0
        let peak = ProcessMemory.peakKiB ?? 0
        timer.cancel()
        poster.finish()
        await live.stop()
        guard found else { throw BenchmarkError("the newest message \(newestID) was not in the TUI state after \(timeout)") }
        return Result(seconds: seconds, baselineKiB: baseline, residentKiB: resident, peakKiB: peak,
                      lines: state.channels.first?.lines.count ?? 0)
    }
}
