import ProfanityFilter
import Testing

/// English profanity that must be found, with the exact masked output.
@Suite struct EnglishMatchTests {
    static let cases: [(input: String, masked: String)] = [
        // plain words and inflections
        ("fuck", "****"),
        ("Fuck you", "**** you"),
        ("FUCKING hell", "******* hell"),
        ("fuckin' hell", "******' hell"),
        ("FuCkInG", "*******"),
        ("what a fucker", "what a ******"),
        ("you motherfucker", "you ************"),
        ("motherfuckers everywhere", "************* everywhere"),
        ("a real clusterfuck", "a real ***********"),
        ("fuckface", "********"),
        ("this is bullshit", "this is ********"),
        ("horseshit", "*********"),
        ("shitty code", "****** code"),
        ("shittiest day", "********* day"),
        ("shitface", "********"),
        ("you assholes!", "you ********!"),
        ("what a jackass", "what a *******"),
        ("dumbass move", "******* move"),
        ("asshat", "******"),
        ("what a dickhead", "what a ********"),
        ("piss off", "**** off"),
        ("he got pissed", "he got ******"),
        ("son of a bitch", "son of a *****"),
        ("sonofabitch", "***********"),
        ("bitches be crazy", "******* be crazy"),
        ("bitchy", "******"),
        ("cunt", "****"),
        ("wanker", "******"),
        ("slutty", "******"),
        ("whoring around", "******* around"),
        ("bastards", "********"),
        ("twat", "****"),
        ("Fuck, shit and piss", "****, **** and ****"),
        ("mother-fucker", "mother-******"),
        ("fuck.you", "****.you"),
        ("Fuck!!!", "****!!!"),
        ("shit.", "****."),
        // misspellings kept in the list
        ("phuck", "*****"),
        ("fck this", "*** this"),
    ]

    @Test(arguments: cases)
    func masksEnglishProfanity(input: String, masked: String) {
        let scan = ProfanityMatcher.default.scan(input)
        #expect(scan.masked == masked)
        #expect(!scan.isClean)
        #expect(scan.masked.count == input.count)
    }

    /// Obfuscation: leet, separators, stretching, confusables, width and style variants.
    static let obfuscated: [(input: String, masked: String)] = [
        ("what the sh1t", "what the ****"),
        ("5h1t", "****"),
        ("sh1tty", "******"),
        ("$hit happens", "**** happens"),
        ("b1tch", "*****"),
        ("@sshole", "*******"),
        ("a55hole", "*******"),
        ("sh!t", "****"),
        ("c0ck", "****"),
        ("d1ck", "****"),
        ("f4g", "***"),
        ("p1ss", "****"),
        ("fuck1", "****1"),
        ("@bitch hi", "@***** hi"),
        ("you f.u.c.k!", "you *.*.*.*!"),
        ("f u c k this", "* * * * this"),
        ("f_u_c_k", "*_*_*_*"),
        ("f-u-c-k off", "*-*-*-* off"),
        ("f*u*c*k", "*******"),
        ("f . u . c . k", "* . * . * . *"),
        ("s h i t", "* * * *"),
        ("a.s.s", "*.*.*"),
        ("5 h 1 t", "* * * *"),
        ("I am a f u c k i n g genius", "I am a * * * * * * * genius"),
        ("FUUUCK off", "****** off"),
        ("fuuuuuuuuuck", "************"),
        ("shiiiit", "*******"),
        ("assss", "*****"),
        ("ʃṳ𝒸𝗄 this", "**** this"),
        ("ｆｕｃｋ", "****"),
        ("ⓕⓤⓒⓚ", "****"),
        ("𝐟𝐮𝐜𝐤", "****"),
        ("𝓼𝓱𝓲𝓽", "****"),
        ("ƒuck", "****"),
        ("fück", "****"),
        ("shït", "****"),
        ("fuсk", "****"), // Cyrillic с
        ("аss", "***"), // Cyrillic а
        ("αss", "***"), // Greek α
        ("ѕhіt", "****"), // Cyrillic ѕ and і
        ("ꜰᴜᴄᴋ", "****"), // small capitals
        ("f\u{0337}u\u{0337}c\u{0337}k\u{0337}", "****"), // overlay marks
        ("f\u{200B}uck", "*\u{200B}***"), // zero-width space: kept, not masked
        ("sh\u{00AD}it", "**\u{00AD}**"), // soft hyphen
        ("fuck2", "****2"),
    ]

    @Test(arguments: obfuscated)
    func masksObfuscatedProfanity(input: String, masked: String) {
        let scan = ProfanityMatcher.default.scan(input)
        #expect(scan.masked == masked)
        #expect(scan.masked.count == input.count)
    }

    @Test func reportsTheCanonicalEntry() {
        let words = ProfanityMatcher.default.scan("motherfuckers and bullshit and assholes").matches.map(\.word)
        #expect(words == ["fuck", "shit", "asshole"])
    }
}
