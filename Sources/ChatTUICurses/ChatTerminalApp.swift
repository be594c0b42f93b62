import ChatTUI
import Foundation
import Synchronization

/// What `ChatTerminalApp` needs from a terminal: `CursesScreen`, or a fake in tests.
public protocol TerminalScreen: AnyObject {
    var size: TermSize { get }
    /// True when the process was asked to terminate (SIGTERM/SIGHUP/SIGQUIT).
    var terminationRequested: Bool { get }
    func readKey(timeoutMs: Int32) -> Key?
    func draw(_ grid: CellGrid)
    func beep()
}

extension CursesScreen: TerminalScreen {}

/// The chat UI event loop: keys and external events in, `reduce`, effects out, `render` to the
/// terminal. `send` may be called from any thread (Kafka consumers, timers); everything else
/// happens on the thread that called `run` (the main thread).
public final class ChatTerminalApp: Sendable {
    /// How long one loop iteration waits for a key before draining `send`ed actions.
    public static let pollMilliseconds: Int32 = 30
    /// Keys reduced before the screen is redrawn (a paste arrives as many keys at once).
    public static let maxKeysPerFrame = 1024

    /// The state, and the actions `send` queued since the loop last reduced.
    private struct Shared {
        var current: TUIState
        var queue: [TUIAction] = []
    }

    private let shared: Mutex<Shared>

    public init(state: TUIState) {
        shared = Mutex(Shared(current: state))
    }

    /// A snapshot of the current state.
    public var state: TUIState {
        shared.withLock { $0.current }
    }

    /// Queues `action`; the loop reduces it within one poll interval. Thread-safe.
    public func send(_ action: TUIAction) {
        shared.withLock { $0.queue.append(action) }
    }

    /// Opens the terminal (`CursesScreen`), runs the loop until a `.quit` effect, and restores
    /// the terminal. Blocks the calling thread.
    ///
    /// - Parameter effects: called on this thread for every effect, in order, `.quit` included
    ///   (after which the loop stops). `.bell` also rings the terminal bell. Keep it fast: start
    ///   work elsewhere and report back with `send`.
    /// - Throws: `CursesError` when no terminal can be opened.
    public func run(effects: @escaping @Sendable (TUIEffect) -> Void) throws {
        let screen = try CursesScreen()
        defer { screen.shutdown() }
        run(on: screen, effects: effects)
    }

    /// The loop itself, on any `TerminalScreen`.
    public func run(on screen: some TerminalScreen, effects: @escaping @Sendable (TUIEffect) -> Void) {
        var size = screen.size
        let (startEffects, first) = shared.withLock { shared -> ([TUIEffect], TUIState) in
            shared.current.size = size
            return (shared.current.reduce(.start), shared.current)
        }
        screen.draw(render(first, size: size))
        var drawnSize = size
        if execute(startEffects, on: screen, effects) { return }

        while true {
            if screen.terminationRequested {
                effects(.quit)
                return
            }
            var actions: [TUIAction] = []
            if let key = screen.readKey(timeoutMs: Self.pollMilliseconds) {
                actions.append(.key(key))
                while actions.count < Self.maxKeysPerFrame, let more = screen.readKey(timeoutMs: 0) {
                    actions.append(.key(more))
                }
            }
            size = screen.size
            let (produced, changed, snapshot) = apply(actions, size: size)
            if execute(produced, on: screen, effects) { return }
            if changed || size != drawnSize {
                screen.draw(render(snapshot, size: size))
                drawnSize = size
            }
        }
    }

    /// Reduces `keys` and then everything queued by `send`. Returns the effects, whether the state
    /// changed, and a snapshot to render.
    private func apply(_ keys: [TUIAction], size: TermSize) -> ([TUIEffect], Bool, TUIState) {
        shared.withLock { shared in
            var actions = keys
            // A resize that ncurses noticed without delivering KEY_RESIZE (yet).
            if size != shared.current.size { actions.insert(.key(.resize(cols: size.cols, rows: size.rows)), at: 0) }
            actions += shared.queue
            shared.queue.removeAll()
            guard !actions.isEmpty else { return ([], false, shared.current) }
            let before = shared.current
            var produced: [TUIEffect] = []
            for action in actions { produced += shared.current.reduce(action) }
            return (produced, shared.current != before, shared.current)
        }
    }

    /// Hands `list` to the callback; returns true when it contained `.quit`.
    private func execute(_ list: [TUIEffect], on screen: some TerminalScreen,
                         _ effects: (TUIEffect) -> Void) -> Bool {
        for effect in list {
            if effect == .bell { screen.beep() }
            effects(effect)
            if effect == .quit { return true }
        }
        return false
    }
}
