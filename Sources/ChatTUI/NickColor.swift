import Foundation

/// Stable nick colours: FNV-1a (32-bit) of the UTF-8 bytes into a fixed palette, so a nick
/// has the same colour in every process and on every run (unlike `hashValue`).
public enum NickColor {
    /// Readable foreground colours (no black/white/grey).
    public static let palette: [Int] = [
        TermColor.red, TermColor.green, TermColor.yellow, TermColor.blue, TermColor.magenta, TermColor.cyan,
        TermColor.brightRed, TermColor.brightGreen, TermColor.brightYellow, TermColor.brightBlue,
        TermColor.brightMagenta, TermColor.brightCyan,
    ]

    public static func fnv1a(_ s: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in s.utf8 {
            hash ^= UInt32(byte)  // safe: widening; a remainder below palette.count
            hash = hash &* 16_777_619
        }
        return hash
    }

    public static func of(_ nick: String) -> Int {
        palette[Int(fnv1a(nick) % UInt32(palette.count))]  // safe: widening; a remainder below palette.count
    }
}
