extension ProfanityList {
    /// The built-in English words, in list notation (`*` = stem, see
    /// `ProfanityAffixes.english` for what a stem takes).
    ///
    /// Deliberately left out, because in a chat they are mostly innocent: mild
    /// words (`damn`, `hell`, `crap`, `bloody`), `cum` (*magna cum laude*),
    /// `anal` (*anal-retentive*), `tit` (the bird; `tits` is in) and `pussycat`
    /// (only `pussy` itself is listed, so the cat stays clean). Ambiguous words
    /// that are overwhelmingly insults in chat (`dick`, `cock`, `prick`) are in,
    /// as exact words only, so `Dickens`, `dicker` and `cocktail` stay clean.
    static let englishWords: [String] = [
        // fuck and its spellings
        "fuck*", "fuk*", "fck*", "fcuk*", "phuck*", "mofo*",
        // shit
        "shit*", "shite", "shitstain*", "shitshow*",
        // ass / arse
        "ass*", "asshole*", "arse*", "arsed", "arsing", "arsehole*", "butthole*",
        // insults
        "bitch*", "biatch*", "cunt*", "bastard*", "twat*", "twatwaffle*", "wank*",
        "tosser*", "douche*", "douched", "douching", "douchebag*", "skank*", "slut*", "whore*", "whoring", "whored", "bugger*",
        "bollock*", "piss*", "knobhead*", "bellend*", "jerkoff*", "jackoff*",
        "dickhead*", "dick", "dicks", "dickface", "dickwad", "dickweed", "dickbag",
        "cock", "cocks", "cockhead", "cocksuck*", "prick", "pricks",
        // sexual
        "pussy", "pussies", "tits", "titties", "titty", "cumshot*", "cumslut*",
        "jizz*", "dildo*", "blowjob*", "handjob*", "rimjob*", "ballsack*", "nutsack*",
        "schlong*", "thot", "thots",
        "rape", "rapes", "raped", "raping", "rapist", "rapists", "rapey",
        // slurs
        "nigger*", "nigga*", "faggot*", "fag", "fags", "faggy", "retard", "retards",
        "kike", "kikes", "wetback*",
    ]
}
