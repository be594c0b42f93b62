/// The prefixes and suffixes a stem entry (`fuck*`) may take.
///
/// A stem matches alone, with one prefix (`bull·shit`, `hijo·puta`), with one
/// suffix (`fuck·ing`, `pendej·ada`) or with both (`mother·fuck·ers`). With
/// `dropsFinalVowel` (Spanish), a stem ending in a vowel may also drop it
/// before a vowel-initial suffix (`put·o`, `pendej·ada`, `ching·ón`).
/// Affixes only ever attach to stems; a word is never matched because
/// a stem occurs *inside* it, so `class`, `Scunthorpe` and `computadora` stay
/// clean. Compounds are spelled as written (`mother`, `hijode`) and folded
/// like everything else (`ón` = `on`).
public struct ProfanityAffixes: Sendable, Hashable {
    public var prefixes: [String]
    public var suffixes: [String]
    /// Whether a stem's final vowel gives way to a vowel-initial suffix
    /// (gender and diminutive endings: `puta*` → `puto`, `putita`).
    public var dropsFinalVowel: Bool

    public init(prefixes: [String] = [], suffixes: [String] = [], dropsFinalVowel: Bool = false) {
        self.prefixes = prefixes
        self.suffixes = suffixes
        self.dropsFinalVowel = dropsFinalVowel
    }

    /// No affixes: a stem entry behaves like an exact one.
    public static let none = ProfanityAffixes()

    /// English inflections and the usual compounds around English stems.
    public static let english = ProfanityAffixes(
        prefixes: [
            "mother", "motha", "mutha", "bull", "horse", "dip", "chicken", "jack", "dumb", "smart",
            "bad", "fat", "lard", "kick", "holy", "ape", "bat", "dog", "cluster", "mind", "butt",
            "half", "tight", "candy", "hard", "lame", "wise", "sonofa",
        ],
        suffixes: [
            "s", "es", "ed", "er", "ers", "ing", "ings", "in", "y", "ies", "ier", "iest", "ery",
            "ish", "less", "head", "heads", "face", "faces", "hole", "holes", "wad", "wads",
            "bag", "bags", "hat", "hats", "wit", "wits", "wipe", "wipes", "tard", "tards",
            "load", "loads", "storm", "storms", "show", "shows", "stain", "stains", "fest",
            "boy", "boys", "up", "ups", "off", "offs",
        ]
    )

    /// Spanish gender/number endings, diminutives, augmentatives and the common
    /// verb forms, plus the `hijo de ...` compounds.
    public static let spanish = ProfanityAffixes(
        prefixes: ["hijo", "hija", "hijos", "hijas", "hijode", "hijade", "hijue", "hijoe", "hide"],
        suffixes: [
            "s", "es", "a", "o", "as", "os", "ita", "ito", "itas", "itos", "azo", "aza", "azos",
            "ote", "ota", "ón", "ona", "ones", "onas", "ada", "adas", "ado", "ados", "ero", "era",
            "eros", "eras", "ar", "ear", "eo", "ando", "udo", "uda", "udos", "udas", "ez", "oso", "osa",
        ],
        dropsFinalVowel: true
    )

    /// Both sets together. Broad: more affixes mean more innocent compounds
    /// (`arse*` would catch `arson`, `puta*` would catch `Putin`), so prefer
    /// `[en]` and `[es]` sections in word-list files.
    public static let all = english.merging(spanish)

    /// The union of two sets, without duplicates, order kept.
    public func merging(_ other: ProfanityAffixes) -> ProfanityAffixes {
        func union(_ a: [String], _ b: [String]) -> [String] {
            var seen = Set(a)
            return a + b.filter { seen.insert($0).inserted }
        }
        return ProfanityAffixes(prefixes: union(prefixes, other.prefixes), suffixes: union(suffixes, other.suffixes),
                                dropsFinalVowel: dropsFinalVowel || other.dropsFinalVowel)
    }
}
