import ProfanityFilter
import Testing

@Suite struct SpanishTests {
    static let profane: [(input: String, masked: String)] = [
        ("puta", "****"),
        ("hijo de puta", "hijo de ****"),
        ("hijueputa", "*********"),
        ("hijoputa", "********"),
        ("puto", "****"),
        ("putos", "*****"),
        ("putita", "******"),
        ("PUTAAAA", "*******"),
        ("p.u.t.a", "*.*.*.*"),
        ("qué mierda", "qué ******"),
        ("m1erda", "******"),
        ("¡Joder!", "¡*****!"),
        ("jodido", "******"),
        ("coño", "****"),
        ("c0ñ0", "****"),
        ("cabrón", "******"),
        ("cabron", "******"),
        ("cabrones", "********"),
        ("gilipollas", "**********"),
        ("pendejo", "*******"),
        ("pendeja", "*******"),
        ("pendejadas", "**********"),
        ("chingar", "*******"),
        ("chinga tu madre", "****** tu madre"),
        ("la chingada", "la ********"),
        ("chingón", "*******"),
        ("verga", "*****"),
        ("culero", "******"),
        ("culo", "****"),
        ("maricón", "*******"),
        ("boludo", "******"),
        ("pelotudo", "********"),
        ("carajo", "******"),
        ("cojones", "*******"),
        ("malparido", "*********"),
        ("me cago en todo", "me **** en todo"),
        ("pinche güey", "****** güey"),
        ("soplapollas", "***********"),
    ]

    @Test(arguments: profane)
    func masksSpanishProfanity(input: String, masked: String) {
        let scan = ProfanityMatcher.default.scan(input)
        #expect(scan.masked == masked)
        #expect(scan.masked.count == input.count)
    }

    static let innocent = [
        "computadora", "disputa", "reputación", "imputado", "diputado", "putativo",
        "cono", "año", "zorro", "jota", "puñetazo", "pinchar", "follón", "carajillo",
        "mamadera", "culto", "película", "cálculo", "vergüenza", "culebra", "cabra",
        "coñac", "España", "montaña", "niño", "pendiente",
        "¿Qué tal? Mañana vamos a la computadora del señor Núñez.",
    ]

    @Test(arguments: innocent)
    func spanishWordsStayClean(text: String) {
        let scan = ProfanityMatcher.default.scan(text)
        #expect(scan.isClean, "matched \(scan.matches.map(\.word))")
        #expect(scan.masked == text)
    }

    @Test func englishOnlyListIgnoresSpanish() {
        let english = ProfanityMatcher(list: .english)
        #expect(english.scan("puta madre").isClean)
        #expect(english.scan("fuck").masked == "****")
        let spanish = ProfanityMatcher(list: .spanish)
        #expect(spanish.scan("fuck").isClean)
        #expect(spanish.scan("puta").masked == "****")
    }
}
