import Foundation

/// The words a `ProfanityMatcher` looks for.
///
/// Each entry is one word of letters. An entry written with a trailing `*`
/// (`fuck*`) is a *stem*: it also matches with the prefixes and suffixes of its
/// `ProfanityAffixes` (`fucking`, `motherfucker`). Other entries match only as
/// the whole word. Either way case, accents, confusables, leet, separators and
/// repeated letters are handled by the matcher, so lists hold plain spellings.
///
/// File format (`init(contentsOf:)`), UTF-8, one entry per line:
///
///     # comment; blank lines are ignored, so is anything after a '#'
///     fuck*         # stems take English affixes unless a section says otherwise
///     dickhead
///     [es]          # following stems take Spanish affixes ([en], [all], [none])
///     puta*
///
public struct ProfanityList: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// The word as listed; reported as `ProfanityMatch.word`.
        public var word: String
        public var isStem: Bool
        /// Used only when `isStem`.
        public var affixes: ProfanityAffixes

        public init(_ word: String, isStem: Bool = false, affixes: ProfanityAffixes = .english) {
            self.word = word
            self.isStem = isStem
            self.affixes = affixes
        }

        /// Whether the matcher can use this entry: a single word of at least
        /// two letters (no digits, spaces or punctuation).
        public var isValid: Bool { (TextNormalizer.letterCodes(of: word)?.count ?? 0) >= 2 }
    }

    public private(set) var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Words in list notation (`fuck*` is a stem). Invalid words (see
    /// `Entry.isValid`) are dropped.
    public init(words: some Sequence<String>, affixes: ProfanityAffixes = .english) {
        entries = words.compactMap { Self.entry(from: $0, affixes: affixes) }.filter(\.isValid)
    }

    /// Reads a word-list file (format above). Throws on unreadable files,
    /// unknown sections and invalid entries.
    public init(contentsOf url: URL, affixes: ProfanityAffixes = .english) throws {
        try self.init(parsing: String(contentsOf: url, encoding: .utf8), affixes: affixes)
    }

    /// Parses word-list text (the file format above).
    public init(parsing text: String, affixes: ProfanityAffixes = .english) throws {
        var affixes = affixes
        var entries: [Entry] = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            var line = rawLine
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                let name = String(trimmed.dropFirst().dropLast()).lowercased()
                guard let section = Self.sections[name] else {
                    throw ProfanityListError.unknownSection(line: lineNumber, name: name)
                }
                affixes = section
                continue
            }
            guard let entry = Self.entry(from: trimmed, affixes: affixes), entry.isValid else {
                throw ProfanityListError.invalidEntry(line: lineNumber, text: trimmed)
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// This list followed by `other`'s entries.
    public func merging(_ other: ProfanityList) -> ProfanityList {
        ProfanityList(entries: entries + other.entries)
    }

    /// The built-in English list (stems take `ProfanityAffixes.english`).
    public static let english = ProfanityList(words: englishWords, affixes: .english)

    /// The built-in Spanish list (stems take `ProfanityAffixes.spanish`).
    public static let spanish = ProfanityList(words: spanishWords, affixes: .spanish)

    /// English and Spanish together: what `ProfanityMatcher()` uses.
    public static let `default` = english.merging(spanish)

    private static let sections: [String: ProfanityAffixes] = [
        "en": .english, "english": .english,
        "es": .spanish, "spanish": .spanish,
        "all": .all, "none": .none,
    ]

    private static func entry(from notation: String, affixes: ProfanityAffixes) -> Entry? {
        let text = notation.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("*") {
            let word = String(text.dropLast())
            return word.isEmpty ? nil : Entry(word, isStem: true, affixes: affixes)
        }
        return text.isEmpty ? nil : Entry(text, affixes: affixes)
    }
}

/// Why a word-list file was rejected. Lines are 1-based.
public enum ProfanityListError: Error, Sendable, Equatable {
    case invalidEntry(line: Int, text: String)
    case unknownSection(line: Int, name: String)
}
