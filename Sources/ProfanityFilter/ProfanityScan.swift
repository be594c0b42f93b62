/// One profane word found by `ProfanityMatcher.scan(_:)`.
public struct ProfanityMatch: Sendable, Hashable {
    /// Where the word is in the scanned text, in `Character` (grapheme
    /// cluster) offsets. For spelled-out words (`f.u.c.k`) it spans from the
    /// first letter to the last, separators included.
    public var range: Range<Int>
    /// The list entry that matched, as listed (`fuck` for `motherfuckers`).
    public var word: String
    /// The original characters in `range`.
    public var text: String

    public init(range: Range<Int>, word: String, text: String) {
        self.range = range
        self.word = word
        self.text = text
    }
}

/// The result of scanning one message.
public struct ProfanityScan: Sendable, Equatable {
    /// The text with each letter of each match (leet digits and symbols
    /// included) replaced by `*`, one `*` per `Character`; everything else,
    /// separators included, is kept. Same `Character` count as the input.
    public var masked: String
    /// The matches, in text order.
    public var matches: [ProfanityMatch]

    public init(masked: String, matches: [ProfanityMatch]) {
        self.masked = masked
        self.matches = matches
    }

    /// The number of words masked (what `"moderation":{"masked":N}` reports).
    public var maskedCount: Int { matches.count }

    public var isClean: Bool { matches.isEmpty }
}
