@preconcurrency import CNCursesW
import Glibc

/// The few ncurses/libc values Swift cannot import directly: C globals (read on the main thread
/// only, through these accessors), function-like macros (attribute and mouse bits, values from
/// ncurses 6 with `NCURSES_MOUSE_VERSION 2`) and `wcwidth` (hidden by glibc's feature macros).
enum Curses {
    // MARK: C globals (main thread only)

    static var standardScreen: UnsafeMutablePointer<WINDOW>? { stdscr }
    static var colorCount: Int { Int(COLORS) }  // safe: widening Int32 -> Int
    static var colorPairCount: Int { Int(COLOR_PAIRS) }  // safe: widening Int32 -> Int

    /// False for terminals without cursor addressing (TERM=dumb), which ncurses accepts.
    static var canAddressCursor: Bool {
        guard let cup = tigetstr("cup") else { return false }
        return Int(bitPattern: cup) != -1
    }

    // MARK: macros

    /// `NCURSES_BITS(mask, shift)` = mask << (shift + 8).
    static let underline: attr_t = 1 << (9 + 8)
    static let reverse: attr_t = 1 << (10 + 8)
    static let dim: attr_t = 1 << (12 + 8)
    static let bold: attr_t = 1 << (13 + 8)

    /// `NCURSES_MOUSE_MASK(b, NCURSES_BUTTON_PRESSED)` = 2 << ((b - 1) * 5).
    static let button4Pressed: mmask_t = 2 << 15
    static let button5Pressed: mmask_t = 2 << 20

    // MARK: libc

    private typealias WCWidth = @convention(c) (wchar_t) -> Int32

    /// glibc's `wcwidth` (what ncurses uses to lay out cells); resolved once with dlsym.
    private static let wcwidthFunction: WCWidth? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "wcwidth") else { return nil }
        return unsafeBitCast(symbol, to: WCWidth.self)
    }()

    /// Columns ncurses will give `scalar` in the current locale (-1 = not printable).
    static func width(_ scalar: Unicode.Scalar) -> Int {
        guard let f = wcwidthFunction else { return scalar.value < 0x1100 ? 1 : -1 }
        return Int(f(wchar_t(bitPattern: scalar.value)))
    }

    /// Makes sure LC_CTYPE is UTF-8: `setlocale(LC_ALL, "")`, then C.UTF-8 as a fallback when the
    /// environment names no UTF-8 locale (ncursesw cannot draw wide characters otherwise).
    static func setUTF8Locale() {
        setlocale(LC_ALL, "")
        if !isUTF8Locale() {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
    }

    static func isUTF8Locale() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}
