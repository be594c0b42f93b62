/// A message folded for matching straight from its UTF-8 bytes, into memory
/// the caller lends (stack memory for chat-sized messages): what
/// `NormalizedText` computes, without building a `Character` for ASCII.
///
/// Every byte of ASCII is one `Character`, except `\r\n` and an ASCII byte
/// that a following non-ASCII scalar extends (`e\u{301}`, `1\u{FE0F}\u{20E3}`).
/// So ASCII bytes followed by a scalar below U+0300 are folded through
/// `TextNormalizer.ascii`, two-byte scalars below U+0300 (accented Latin)
/// followed by the same through `TextNormalizer.tabled`, and only the spans
/// around other scalars are cut into `Character`s by Swift and folded by
/// `TextNormalizer.fold`. A span ends before an ASCII byte that follows an
/// ASCII byte other than `\r`: a grapheme boundary, since no ASCII scalar is
/// `Prepend` and only `\r` joins the next one.
///
/// Offsets are `Character` offsets, as in `NormalizedText` and `ProfanityMatch`.
struct FoldedMessage {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The kind of each `Character`.
    private let kinds: UnsafeMutableBufferPointer<CharKind>
    /// `units[unitStart[i] ..< unitStart[i + 1]]` are character `i`'s letters.
    private let unitStart: UnsafeMutableBufferPointer<Int32>
    /// `bytes[byteStart[i] ..< byteStart[i + 1]]` is character `i`.
    private let byteStart: UnsafeMutableBufferPointer<Int32>
    private let units: UnsafeMutableBufferPointer<LetterSet>
    /// How many `Character`s the message has.
    private(set) var count = 0
    /// Whether any character folded to `.innerLeet` (`! |`), which `resolveInnerLeet()` settles.
    private var hasInnerLeet = false

    /// Folds `text` (whose UTF-8 is `bytes`) and passes it to `body`; nil when the
    /// message does not fit this representation (over 256 MiB, or so many letters
    /// from compatibility expansions that the letter buffer is full), so that the
    /// caller takes the `NormalizedText` path.
    static func withFolded<R>(_ text: String, bytes: UnsafeBufferPointer<UInt8>,
                              _ body: (FoldedMessage) -> R) -> R? {
        let n = bytes.count
        guard n > 0, n < 1 << 28 else { return nil }
        return withUnsafeTemporaryAllocation(of: CharKind.self, capacity: n) { kinds in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * (n + 1)) { offsets in
                withUnsafeTemporaryAllocation(of: LetterSet.self, capacity: 2 * n + 32) { units in
                    guard let base = offsets.baseAddress else { return nil }
                    var message = FoldedMessage(
                        bytes: bytes, kinds: kinds,
                        unitStart: UnsafeMutableBufferPointer(start: base, count: n + 1),
                        byteStart: UnsafeMutableBufferPointer(start: base + (n + 1), count: n + 1),
                        units: units)
                    guard message.fold(text) else { return nil }
                    if message.hasInnerLeet { message.resolveInnerLeet() }
                    return body(message)
                }
            }
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, kinds: UnsafeMutableBufferPointer<CharKind>,
                 unitStart: UnsafeMutableBufferPointer<Int32>, byteStart: UnsafeMutableBufferPointer<Int32>,
                 units: UnsafeMutableBufferPointer<LetterSet>) {
        self.bytes = bytes
        self.kinds = kinds
        self.unitStart = unitStart
        self.byteStart = byteStart
        self.units = units
    }

    /// Fills the tables; false if the letters do not fit.
    private mutating func fold(_ text: String) -> Bool {
        let (bytes, kinds, unitStart, byteStart, units) = (self.bytes, self.kinds, self.unitStart, self.byteStart, self.units)
        let n = bytes.count
        let table = TextNormalizer.ascii
        var i = 0, c = 0, u = 0
        var innerLeet = false
        while i < n {
            let byte = bytes[i]
            // The next scalar starts at `i + 1` (ASCII) or `i + 2` (U+0080..U+02FF); below U+0300
            // nothing extends or joins a scalar, so both are a Character of their own when the
            // scalar after them is below U+0300 too (a byte < 0xCC): all of ASCII and Latin-1,
            // Latin Extended-A/B, IPA, spacing modifiers; combining marks start at U+0300.
            if byte < 0x80, byte != 13, i + 1 == n || bytes[i + 1] < 0xCC {
                let entry = table[Int(truncatingIfNeeded: byte)]
                kinds[c] = entry.kind
                unitStart[c] = Int32(truncatingIfNeeded: u)
                byteStart[c] = Int32(truncatingIfNeeded: i)
                if entry.kind.isWord || entry.kind == .innerLeet {
                    units[u] = entry.set
                    u += 1
                    innerLeet = innerLeet || entry.kind == .innerLeet
                }
                c += 1
                i += 1
                continue
            }
            if byte >= 0xC2, byte < 0xCC, i + 2 == n || (i + 2 < n && bytes[i + 2] < 0xCC) {
                let value = UInt32(truncatingIfNeeded: byte & 0x1F) << 6 | UInt32(truncatingIfNeeded: bytes[i + 1] & 0x3F)
                unitStart[c] = Int32(truncatingIfNeeded: u)
                byteStart[c] = Int32(truncatingIfNeeded: i)
                if let folded = TextNormalizer.tabled(value), u + 2 <= units.count {
                    // What `TextNormalizer.fold` does with a Character of one tabled scalar.
                    if folded.count > 0 { units[u] = folded.first; u += 1 }
                    if folded.count > 1 { units[u] = folded.second; u += 1 }
                    kinds[c] = folded.kind
                } else {
                    guard let scalar = Unicode.Scalar(value) else { return false }
                    var full = false
                    kinds[c] = TextNormalizer.fold(Character(scalar)) { letter in
                        if u < units.count {
                            units[u] = letter
                            u += 1
                        } else {
                            full = true
                        }
                    }
                    if full { return false }
                }
                innerLeet = innerLeet || kinds[c] == .innerLeet
                c += 1
                i += 2
                continue
            }
            // A span that Swift cuts into Characters: up to the next ASCII byte after ASCII other than \r.
            var end = i + 1
            while end < n, !(bytes[end] < 0x80 && bytes[end - 1] < 0x80 && bytes[end - 1] != 13) { end += 1 }
            let utf8 = text.utf8
            let lower = utf8.index(utf8.startIndex, offsetBy: i)
            let upper = utf8.index(lower, offsetBy: end - i)
            var at = i
            var full = false
            for ch in text[lower..<upper] {
                unitStart[c] = Int32(truncatingIfNeeded: u)
                byteStart[c] = Int32(truncatingIfNeeded: at)
                kinds[c] = TextNormalizer.fold(ch) { letter in
                    if u < units.count {
                        units[u] = letter
                        u += 1
                    } else {
                        full = true
                    }
                }
                if full { return false }
                innerLeet = innerLeet || kinds[c] == .innerLeet
                at += ch.utf8.count
                c += 1
            }
            i = end
        }
        unitStart[c] = Int32(truncatingIfNeeded: u)
        byteStart[c] = Int32(truncatingIfNeeded: n)
        count = c
        hasInnerLeet = innerLeet
        return true
    }

    /// `!` and `|` are letters only inside a word (`sh!t`); elsewhere they are
    /// punctuation (`shit!`). As `NormalizedText.resolveInnerLeet()`.
    private func resolveInnerLeet() {
        var i = 0
        while i < count {
            guard kinds[i] == .innerLeet else { i += 1; continue }
            var end = i
            while end < count, kinds[end] == .innerLeet { end += 1 }
            let inside = i > 0 && kinds[i - 1].isWord && end < count && kinds[end].isWord
            for k in i..<end { kinds[k] = inside ? .leetSymbol : .boundary }
            i = end
        }
    }

    // MARK: - Reading

    @inline(__always)
    func kind(_ i: Int) -> CharKind { kinds[i] }

    /// The skeleton letters of the characters in `range` (separators have none).
    @inline(__always)
    func units(_ range: Range<Int>) -> UnsafeBufferPointer<LetterSet> {
        let lower = Int(truncatingIfNeeded: unitStart[range.lowerBound])
        let upper = Int(truncatingIfNeeded: unitStart[range.upperBound])
        return UnsafeBufferPointer(rebasing: units[lower..<upper])
    }

    /// Whether `range` holds a letter or a leet symbol: digits alone are a
    /// number and never match.
    @inline(__always)
    func hasNonDigit(_ range: Range<Int>) -> Bool {
        for i in range where kinds[i] == .letter || kinds[i] == .leetSymbol { return true }
        return false
    }

    /// Whether the characters between two words are 1...3 separators only, so
    /// that single letters on either side may be read as one spelled-out word.
    @inline(__always)
    func isSpellingGap(_ range: Range<Int>) -> Bool {
        guard (1...3).contains(range.count) else { return false }
        for i in range where kinds[i] != .separator { return false }
        return true
    }

    /// Digits next to letters are not leet in numbers with a unit (`45s`,
    /// `10am`) or codes (`A55`, `PS55`): two or more digits, with one or two
    /// letters only before or only after them. As `ProfanityMatcher.isNumberOrCode(_:)`.
    func isNumberOrCode(_ token: Range<Int>) -> Bool {
        var leadingDigits = 0
        while leadingDigits < token.count, kinds[token.lowerBound + leadingDigits] == .leetDigit { leadingDigits += 1 }
        var leadingLetters = 0
        while leadingLetters < token.count, kinds[token.lowerBound + leadingLetters] == .letter { leadingLetters += 1 }
        if leadingDigits >= 2, (1...2).contains(token.count - leadingDigits) {
            for i in (token.lowerBound + leadingDigits)..<token.upperBound where kinds[i] != .letter { return false }
            return true
        }
        if (1...2).contains(leadingLetters), token.count - leadingLetters >= 2 {
            for i in (token.lowerBound + leadingLetters)..<token.upperBound where kinds[i] != .leetDigit { return false }
            return true
        }
        return false
    }

    // MARK: - Output

    /// The original text of the characters in `range`.
    func text(_ range: Range<Int>) -> String {
        let lower = Int(truncatingIfNeeded: byteStart[range.lowerBound])
        let upper = Int(truncatingIfNeeded: byteStart[range.upperBound])
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
    }

    /// The text with every word character in `ranges` (in order, not
    /// overlapping) replaced by one `*`: the bytes of every other character are
    /// copied as they are.
    func masking(_ ranges: some Sequence<Range<Int>>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { out in
            var written = 0, read = 0
            func copy(upTo end: Int) {
                while read < end {
                    out[written] = bytes[read]
                    written += 1
                    read += 1
                }
            }
            for range in ranges {
                for i in range where kinds[i].isMaskable {
                    copy(upTo: Int(truncatingIfNeeded: byteStart[i]))
                    out[written] = UInt8(ascii: "*")
                    written += 1
                    read = Int(truncatingIfNeeded: byteStart[i + 1])
                }
            }
            copy(upTo: bytes.count)
            return written
        }
    }
}
