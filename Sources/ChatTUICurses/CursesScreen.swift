@preconcurrency import CNCursesW
import ChatTUI
import Glibc

/// Why the terminal could not be opened.
public struct CursesError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The ncursesw screen: the only place kchat talks to the terminal.
///
/// Use from one thread (the main thread). Lifecycle: `init()` enters curses mode, `shutdown()`
/// (also run from `deinit`, `exit()`, SIGINT/SIGTERM/SIGHUP and crash signals) restores the
/// terminal. Text reaches the tty only through `draw(_:)`, cell by cell.
public final class CursesScreen {
    let screen: OpaquePointer
    let window: UnsafeMutablePointer<WINDOW>
    private let files: (output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>)
    /// False after `shutdown()`; every ncurses call is skipped then.
    private(set) var isOpen = true

    // Keys (CursesScreen+Keys.swift)
    var pendingKeys: [Key] = []
    var pendingIndex = 0
    /// Raw input read ahead and given back (a lone Esc that did not start a paste).
    var lookahead: [RawInput] = []
    /// Key codes ncurses gives the paste markers when the terminal description defines them.
    var pasteCodes: (start: Int32, end: Int32) = (0, 0)

    // Drawing (CursesScreen+Draw.swift)
    var previous: CellGrid?
    var cursorVisible: Bool?
    var colors: ColorPairs

    /// Enters curses mode on the controlling terminal (stdin/stdout).
    /// - Throws: `CursesError` when stdin/stdout is not a terminal or TERM is unknown.
    public init() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CursesError("the chat needs a terminal (stdin and stdout must be a tty)")
        }
        Curses.setUTF8Locale()
        TerminalGuard.install()
        guard let output = fdopen(dup(STDOUT_FILENO), "w"), let input = fdopen(dup(STDIN_FILENO), "r") else {
            TerminalGuard.uninstall()
            throw CursesError("cannot open the terminal: \(String(cString: strerror(errno)))")
        }
        guard let screen = newterm(nil, output, input) else {
            TerminalGuard.uninstall()
            fclose(output)
            fclose(input)
            let term = getenv("TERM").map { String(cString: $0) } ?? ""
            throw CursesError("cannot initialise the terminal (TERM='\(term)' unknown?)")
        }
        set_term(screen)
        guard Curses.canAddressCursor, let window = Curses.standardScreen else {
            endwin()
            delscreen(screen)
            TerminalGuard.uninstall()
            fclose(output)
            fclose(input)
            let term = getenv("TERM").map { String(cString: $0) } ?? ""
            throw CursesError("the terminal (TERM='\(term)') cannot position the cursor")
        }
        self.screen = screen
        self.window = window
        self.files = (output, input)
        TerminalGuard.activate()
        cbreak()
        noecho()
        nonl()
        Self.disableFlowControl()
        keypad(window, true)
        intrflush(window, false)
        meta(window, true)
        leaveok(window, false)
        scrollok(window, false)
        set_escdelay(25)
        mouseinterval(0)
        mousemask(Curses.button4Pressed | Curses.button5Pressed, nil)
        colors = ColorPairs.start()
        // Bracketed paste: the terminal wraps pasted text in ESC[200~ ... ESC[201~, so a paste
        // is one message and never typed commands.
        pasteCodes = (key_defined(Self.pasteStartSequence), key_defined(Self.pasteEndSequence))
        fputs("\u{1B}[?2004h", output)
        fflush(output)
    }

    deinit { shutdown() }

    /// cbreak keeps IXON, so Ctrl-S would freeze the output until Ctrl-Q; turn it off and make
    /// that part of the program mode ncurses restores after Ctrl-Z and resizes.
    private static func disableFlowControl() {
        var modes = termios()
        guard tcgetattr(STDIN_FILENO, &modes) == 0 else { return }
        modes.c_iflag &= ~tcflag_t(IXON)
        if tcsetattr(STDIN_FILENO, TCSANOW, &modes) == 0 { def_prog_mode() }
    }

    /// Current terminal size.
    public var size: TermSize {
        guard isOpen else { return TermSize(cols: 0, rows: 0) }
        return TermSize(cols: max(0, Int(getmaxx(window))), rows: max(0, Int(getmaxy(window))))  // safe: widening Int32 -> Int
    }

    /// True after SIGTERM, SIGHUP or SIGQUIT: the owner should quit (`ChatTerminalApp` does).
    public var terminationRequested: Bool { TerminalGuard.terminationRequested }

    /// Rings the terminal bell (or flashes when the terminal has no bell).
    public func beep() {
        guard isOpen else { return }
        _ = CNCursesW.beep()
    }

    /// Forces the next `draw` to repaint every row (e.g. after something else wrote to the tty).
    public func invalidate() {
        previous = nil
        guard isOpen else { return }
        clearok(window, true)
    }

    /// Leaves curses mode and restores the terminal. Idempotent.
    public func shutdown() {
        guard isOpen else { return }
        isOpen = false
        mousemask(0, nil)
        curs_set(1)
        fputs("\u{1B}[?2004l", files.output)
        fflush(files.output)
        TerminalGuard.restore()
        TerminalGuard.uninstall()
        delscreen(screen)
        fclose(files.output)
        fclose(files.input)
    }
}
