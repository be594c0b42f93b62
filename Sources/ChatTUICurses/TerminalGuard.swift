@preconcurrency import CNCursesW
import Glibc

// State read by signal handlers. Plain C-layout globals written before the handlers are
// installed (or with signals blocked) and only read/flag-set inside them, as in C.
nonisolated(unsafe) private var guardActive = false
nonisolated(unsafe) private var savedTermios = termios()
nonisolated(unsafe) private var haveSavedTermios = false
nonisolated(unsafe) private var interruptCount: Int32 = 0
nonisolated(unsafe) private var terminateCount: Int32 = 0
nonisolated(unsafe) private var previousActions: [Int32: sigaction] = [:]
nonisolated(unsafe) private var atexitRegistered = false

/// Makes sure the terminal is never left in curses mode: on normal shutdown, on `exit()`
/// (atexit), on SIGINT/SIGTERM/SIGHUP/SIGQUIT and on crashes (SIGSEGV, SIGILL from a Swift
/// trap, SIGABRT, ...).
///
/// - SIGINT only raises a flag: the next `readKey` returns `.ctrl("c")` (cbreak mode keeps the tty's
///   ISIG, so Ctrl-C arrives as a signal, not a key). SIGTERM/SIGHUP/SIGQUIT raise a termination
///   flag that `ChatTerminalApp` turns into a `.quit` effect. A second signal before the first was
///   handled restores the terminal at once and dies by the signal's default action.
/// - Crash signals restore the terminal, then re-raise to the previous handler (Swift's
///   backtracer, or the default action).
enum TerminalGuard {
    static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Call before ncurses initialises (ncurses then leaves SIGINT/SIGTERM to us).
    static func install() {
        guardActive = false
        if tcgetattr(STDIN_FILENO, &savedTermios) == 0 { haveSavedTermios = true }
        interruptCount = 0
        terminateCount = 0
        for sig in quitSignals { setHandler(sig, quitHandler) }
        for sig in crashSignals { setHandler(sig, crashHandler) }
        if !atexitRegistered {
            atexitRegistered = true
            atexit { TerminalGuard.restore() }
        }
    }

    /// Marks curses mode as entered (the restore paths only act while this is set).
    static func activate() { guardActive = true }

    /// Normal shutdown: restores the previous signal handlers. Does not call endwin.
    static func uninstall() {
        guardActive = false
        for (sig, old) in previousActions {
            var action = old
            sigaction(sig, &action, nil)
        }
        previousActions = [:]
    }

    /// Returns true once per pending SIGINT.
    static func takeInterrupt() -> Bool {
        guard interruptCount > 0 else { return false }
        interruptCount = 0
        return true
    }

    /// True after SIGTERM, SIGHUP or SIGQUIT.
    static var terminationRequested: Bool { terminateCount > 0 }

    /// Leaves curses mode (idempotent). Safe enough for the emergency paths: ncurses' own signal
    /// cleanup does the same, and termios is reset with the async-signal-safe tcsetattr.
    static func restore() {
        guard guardActive else { return }
        guardActive = false
        if isendwin() == false { endwin() }
        // Bracketed paste off again, whatever path ended the program (async-signal-safe write).
        let off: StaticString = "\u{1B}[?2004l"
        _ = write(STDOUT_FILENO, off.utf8Start, off.utf8CodeUnitCount)
        if haveSavedTermios { tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios) }
    }

    private static func setHandler(_ sig: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        var old = sigaction()
        if sigaction(sig, &action, &old) == 0, previousActions[sig] == nil { previousActions[sig] = old }
    }

    private static let quitHandler: @convention(c) (Int32) -> Void = { sig in
        let second = sig == SIGINT ? interruptCount > 0 : terminateCount > 0
        if second || !guardActive {
            TerminalGuard.restore()
            signal(sig, SIG_DFL)
            raise(sig)
            return
        }
        if sig == SIGINT { interruptCount += 1 } else { terminateCount += 1 }
    }

    private static let crashHandler: @convention(c) (Int32) -> Void = { sig in
        TerminalGuard.restore()
        if var old = previousActions[sig] {
            sigaction(sig, &old, nil)
        } else {
            signal(sig, SIG_DFL)
        }
        // Delivered with the previous action as soon as this handler returns (also when the
        // signal was sent with kill, where returning alone would carry on running).
        raise(sig)
    }
}
