extension ProfanityList {
    /// The built-in Spanish words, in list notation (`*` = stem, see
    /// `ProfanityAffixes.spanish`: gender/number, diminutives, `hijo de ...`).
    ///
    /// Accents are folded (`cabrón` = `cabron`) but `ñ` is its own letter, so
    /// `coño` does not catch `cono` (cone) and `año` is not `ano`. Words whose
    /// inflections collide with everyday words are exact only: `zorra`/`zorras`
    /// (not `zorro`), `joto` (not `jota`), `puñeta` (not `puñetazo`, a punch),
    /// `pinche` (not `pinchar`), `follar` (not `follón`). Left out as too
    /// ambiguous: `coger`, `polla`, `concha`, `perra`, `hostia`, `pija`, `chucha`.
    static let spanishWords: [String] = [
        // puta and friends (putas, puto, putita, putazo, putada, putero, hijoputa, ...)
        "puta*", "putamadre", "malparido*",
        // mierda, cagar
        "mierda*", "caga*",
        // joder
        "joder", "jode", "jodan", "jodes", "jódete", "jodete", "jodiendo", "jodienda", "jodido*",
        // anatomy
        "coño*", "verga*", "culo*", "culero*", "cojón*", "cojones", "pichula", "ojete",
        // insults
        "cabrón*", "gilipollas", "gilipollez", "pendejo*", "mamón*", "mamada", "mamadas",
        "mamahuevo*", "mamaguevo*", "mamabicho", "huevón*", "weón*", "boludo*",
        "pelotudo*", "soplapollas", "chupapollas", "chupavergas", "bastardo*",
        "zorra", "zorras", "zorrita",
        // chingar (chinga, chingar, chingada, chingado, chingón, ...)
        "chinga*", "chingadera", "chingaderas",
        // Mexican, Chilean and Spanish regional
        "pinche", "culiao", "culiado*", "conchetumadre", "conchetumare",
        "puñeta", "puñetas", "puñetero*", "carajo*", "follar", "follando", "follada", "follado",
        // slurs
        "maricón*", "marica*", "joto", "jotos",
    ]
}
