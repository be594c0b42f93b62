/// Decides whether one whole word skeleton is a list entry, by running a small
/// non-deterministic automaton over tries of stems and affixes:
///
///     [prefix] stem [suffix]        bull·shit, mother·fuck·er, hijo·puta
///
/// * exact entries match alone (no prefix, no suffix);
/// * stem entries take at most one prefix and one suffix of their own
///   `ProfanityAffixes`; where those say so, a stem ending in a vowel may
///   also drop it before a vowel-initial suffix (`pendejo` → `pendeja`);
/// * a letter may be stretched by two or more extra copies (`fuuuck`,
///   `shiiit`), but one extra copy is not enough (`Shiite`, `assess`, `Mammon`
///   must stay clean) except for a stem's last consonant doubled before a
///   suffix (`shit·t·y`, `slut·t·ier`); an entry's own double letters must be
///   there (`as` is not `ass`);
/// * a position may allow several letters (leet `1` = `i` or `l`).
///
/// The automaton only answers "does the whole skeleton match"; it never looks
/// for entries inside longer words, which is what keeps `Scunthorpe` clean.
struct WordAutomaton: Sendable {
    fileprivate enum Phase: UInt8 { case prefix, stem, suffix, dropSuffix }

    fileprivate struct State: Equatable {
        var phase: Phase
        var affix: UInt8 // the prefix's affix set in .prefix/.stem, the stem's in the suffix phases
        var last: LetterCode // the last letter consumed, 0 before any
        var extra: UInt8 // extra copies of `last` consumed so far, capped at 2
        var prefixed: Bool
        var node: Int32
        var entry: Int32 // the stem entry in the suffix phases
    }

    private struct StemEnd: Sendable {
        var affix: UInt8
        var entry: Int32
    }

    private struct AffixRoots: Sendable {
        var prefixes: Int32, suffixes: Int32, dropSuffixes: Int32
    }

    /// Reusable state buffers, so a scan allocates them once.
    struct Scratch {
        fileprivate var current: [State] = []
        fileprivate var next: [State] = []
        init() {}
    }

    private var forest = TrieForest() // terminal in the stem trie = "some entry ends or drops here"
    private let stemRoot: Int32
    private var affixRoots: [AffixRoots] = []
    private var initialStates: [State] = []
    private var exactEnds: [Int32: Int32] = [:]
    private var stemEnds: [Int32: [StemEnd]] = [:]
    private var dropEnds: [Int32: [StemEnd]] = [:]
    private var entryLengths: [Int] = []
    /// The three maps above as flat per-node tables, for `match(_:)` over a buffer: the exact
    /// entry of node `n` is `exactByNode[n]` (-1 if none); its stem ends are
    /// `stemEndItems[stemEndOffsets[n] ..< stemEndOffsets[n + 1]]`, its drop ends likewise.
    private var exactByNode: [Int32] = []
    private var stemEndOffsets: [Int32] = [0]
    private var stemEndItems: [StemEnd] = []
    private var dropEndOffsets: [Int32] = [0]
    private var dropEndItems: [StemEnd] = []
    /// `secondLetters[a]`: the letters `b` that a match may go on with after a
    /// first letter `a`; `thirdLetters[a * codeCount + b]`: the letters it may go
    /// on with after `a b`. Computed by running the automaton over every one- and
    /// two-letter start, so they are exact; they let `match(_:)` turn most words
    /// down after two or three letters without running the automaton.
    private var secondLetters = [LetterSet](repeating: 0, count: Letters.codeCount)
    private var thirdLetters = [LetterSet](repeating: 0, count: Letters.codeCount * Letters.codeCount)

    /// Entries whose `codes` is nil (not a word) are skipped; their index still counts.
    init(entries: [(codes: [LetterCode]?, isStem: Bool, affixID: Int)], affixSets: [ProfanityAffixes]) {
        stemRoot = forest.addRoot()
        initialStates.append(State(phase: .stem, affix: 0, last: 0, extra: 0, prefixed: false, node: stemRoot, entry: -1))
        for (id, affixes) in affixSets.enumerated() {
            let roots = AffixRoots(prefixes: forest.addRoot(), suffixes: forest.addRoot(), dropSuffixes: forest.addRoot())
            for prefix in affixes.prefixes {
                if let codes = TextNormalizer.letterCodes(of: prefix), !codes.isEmpty {
                    forest.insert(codes, below: roots.prefixes)
                }
            }
            for suffix in affixes.suffixes {
                guard let codes = TextNormalizer.letterCodes(of: suffix), let first = codes.first else { continue }
                forest.insert(codes, below: roots.suffixes)
                // `-es` after a dropped vowel is just `-s` after the vowel (cage·s, not cag·es).
                if Letters.vowels & Letters.set(first) != 0, suffix != "es" {
                    forest.insert(codes, below: roots.dropSuffixes)
                }
            }
            affixRoots.append(roots)
            if forest.hasChildren(roots.prefixes) {
                initialStates.append(State(phase: .prefix, affix: UInt8(id), last: 0, extra: 0, prefixed: false,  // safe: ids of our own word lists (< 256 affixes, < Int32.max entries); widening
                                           node: roots.prefixes, entry: -1))
            }
        }
        for (index, entry) in entries.enumerated() {
            entryLengths.append(entry.codes?.count ?? 0)
            guard let codes = entry.codes, codes.count >= 2 else { continue }
            let node = forest.insert(codes, below: stemRoot)
            let id = Int32(index)  // safe: ids of our own word lists (< 256 affixes, < Int32.max entries); widening
            guard entry.isStem else {
                if exactEnds[node] == nil { exactEnds[node] = id }
                continue
            }
            let end = StemEnd(affix: UInt8(entry.affixID), entry: id)  // safe: ids of our own word lists (< 256 affixes, < Int32.max entries); widening
            stemEnds[node, default: []].append(end)
            if affixSets[entry.affixID].dropsFinalVowel, codes.count >= 3,
               Letters.vowels & Letters.set(codes[codes.count - 1]) != 0 {
                dropEnds[forest.insert(codes.dropLast(), below: stemRoot), default: []].append(end)
            }
        }
        for node in 0..<forest.nodeCount {
            let id = Int32(truncatingIfNeeded: node)
            exactByNode.append(exactEnds[id] ?? -1)
            stemEndItems += stemEnds[id] ?? []
            stemEndOffsets.append(Int32(truncatingIfNeeded: stemEndItems.count))
            dropEndItems += dropEnds[id] ?? []
            dropEndOffsets.append(Int32(truncatingIfNeeded: dropEndItems.count))
        }
        var childLetters = [LetterSet](repeating: 0, count: forest.nodeCount)
        for node in 0..<forest.nodeCount {
            for code in 1..<Letters.codeCount where forest.child(Int32(truncatingIfNeeded: node), LetterCode(truncatingIfNeeded: code)) >= 0 {
                childLetters[node] |= Letters.set(LetterCode(truncatingIfNeeded: code))
            }
        }
        for first in 1..<Letters.codeCount {
            var afterFirst: [State] = []
            for state in initialStates { step(state, Letters.set(LetterCode(truncatingIfNeeded: first)), into: &afterFirst) }
            for second in 1..<Letters.codeCount where !afterFirst.isEmpty {
                var afterSecond: [State] = []
                for state in afterFirst { step(state, Letters.set(LetterCode(truncatingIfNeeded: second)), into: &afterSecond) }
                guard !afterSecond.isEmpty else { continue }
                secondLetters[first] |= Letters.set(LetterCode(truncatingIfNeeded: second))
                var thirds: LetterSet = 0
                for state in afterSecond {
                    if state.last != 0 { thirds |= Letters.set(state.last) } // stretched
                    if state.extra != 1 || isDoublingSpot(state) { thirds |= childLetters[Int(truncatingIfNeeded: state.node)] }
                }
                thirdLetters[first * Letters.codeCount + second] = thirds
            }
        }
    }

    /// The entry that the whole of `units` spells, if any (the longest entry
    /// when several do).
    func match(_ units: ArraySlice<LetterSet>, scratch: inout Scratch) -> Int? {
        guard !units.isEmpty else { return nil }
        var current: [State] = [], next: [State] = []
        swap(&current, &scratch.current)
        swap(&next, &scratch.next)
        defer {
            swap(&current, &scratch.current)
            swap(&next, &scratch.next)
        }
        current.removeAll(keepingCapacity: true)
        current.append(contentsOf: initialStates)
        for unit in units {
            if unit == 0 { return nil }
            next.removeAll(keepingCapacity: true)
            for state in current { step(state, unit, into: &next) }
            if next.isEmpty { return nil }
            swap(&current, &next)
        }
        var best: Int?
        for state in current {
            guard let entry = accepted(state) else { continue }
            if let b = best, entryLengths[b] > entryLengths[entry] || (entryLengths[b] == entryLengths[entry] && b < entry) {
                continue
            }
            best = entry
        }
        return best
    }

    @inline(__always)
    private func step(_ state: State, _ unit: LetterSet, into out: inout [State]) {
        if state.last != 0, unit & Letters.set(state.last) != 0 { // a repeated letter
            var stretched = state
            stretched.extra = min(state.extra + 1, 2)
            push(stretched, &out)
        }
        if state.extra == 1, !isDoublingSpot(state) { return }
        var bits = unit
        while bits != 0 {
            let code = LetterCode(bits.trailingZeroBitCount)
            bits &= bits &- 1
            let child = forest.child(state.node, code)
            guard child >= 0 else { continue }
            var moved = state
            moved.node = child
            moved.last = code
            moved.extra = 0
            push(moved, &out)
            epsilon(moved, &out)
        }
    }

    /// Right after a stem, before its suffix: the one place where a letter may
    /// be doubled once (English consonant doubling).
    @inline(__always)
    private func isDoublingSpot(_ state: State) -> Bool {
        state.phase == .suffix && state.node == affixRoots[Int(state.affix)].suffixes  // safe: ids of our own word lists (< 256 affixes, < Int32.max entries); widening
    }

    /// Moves from the end of a prefix into the stems, and from the end of a
    /// stem into its suffixes, without consuming a letter.
    @inline(__always)
    private func epsilon(_ state: State, _ out: inout [State]) {
        guard forest.isTerminal(state.node) else { return }
        switch state.phase {
        case .prefix:
            push(State(phase: .stem, affix: state.affix, last: state.last, extra: 0, prefixed: true,
                       node: stemRoot, entry: -1), &out)
        case .stem:
            for end in stemEnds[state.node] ?? [] where !state.prefixed || end.affix == state.affix {
                push(State(phase: .suffix, affix: end.affix, last: state.last, extra: 0, prefixed: state.prefixed,
                           node: affixRoots[Int(end.affix)].suffixes, entry: end.entry), &out)  // safe: ids of our own word lists (< 256 affixes, < Int32.max entries); widening
            }
            for end in dropEnds[state.node] ?? [] where !state.prefixed || end.affix == state.affix {
                push(State(phase: .dropSuffix, affix: end.affix, last: state.last, extra: 0, prefixed: state.prefixed,
                           node: affixRoots[Int(end.affix)].dropSuffixes, entry: end.entry), &out)  // safe: ids of our own word lists (< 256 affixes, < Int32.max entries); widening
            }
        case .suffix, .dropSuffix:
            break
        }
    }

    private func accepted(_ state: State) -> Int? {
        if state.extra == 1 { return nil }
        switch state.phase {
        case .prefix:
            return nil
        case .stem:
            if !state.prefixed, let entry = exactEnds[state.node] { return Int(entry) }  // safe: ids of our own word lists (< 256 affixes, < Int32.max entries); widening
            for end in stemEnds[state.node] ?? [] where !state.prefixed || end.affix == state.affix {
                return Int(end.entry)  // safe: ids of our own word lists (< 256 affixes, < Int32.max entries); widening
            }
            return nil
        case .suffix, .dropSuffix:
            return forest.isTerminal(state.node) ? Int(state.entry) : nil  // safe: ids of our own word lists (< 256 affixes, < Int32.max entries); widening
        }
    }

    // MARK: - Matching a buffer, without allocating

    /// At most this many states at once in `match(_:)`; a word that needs more (none of the
    /// built-in lists comes close) is matched by `match(_:scratch:)` instead.
    private static let stateCapacity = 32

    /// A fixed-capacity set of states in caller-provided memory.
    private struct StateBuffer {
        let base: UnsafeMutablePointer<State>
        var count = 0
        var overflowed = false

        init(_ base: UnsafeMutablePointer<State>) { self.base = base }

        @inline(__always)
        mutating func push(_ state: State) {
            for k in 0..<count where base[k] == state { return }
            guard count < WordAutomaton.stateCapacity else { overflowed = true; return }
            base[count] = state
            count += 1
        }
    }

    /// `match(_:scratch:)` over a buffer of letter sets, with its states on the stack: the
    /// same answer, no allocation.
    func match(_ units: UnsafeBufferPointer<LetterSet>) -> Int? {
        guard units.count >= 2 else { return units.isEmpty ? nil : matchAll(units) }
        var firsts = units[0], follows = false, thirds: LetterSet = 0
        while firsts != 0 {
            let first = firsts.trailingZeroBitCount
            firsts &= firsts &- 1
            var seconds = units[1] & secondLetters[first]
            follows = follows || seconds != 0
            while seconds != 0 {
                thirds |= thirdLetters[first &* Letters.codeCount &+ seconds.trailingZeroBitCount]
                seconds &= seconds &- 1
            }
        }
        guard follows, units.count == 2 || units[2] & thirds != 0 else { return nil }
        return matchAll(units)
    }

    /// `match(_:)` past its two-letter check.
    private func matchAll(_ units: UnsafeBufferPointer<LetterSet>) -> Int? {
        guard !units.isEmpty else { return nil }
        let answer: Int?? = withUnsafeTemporaryAllocation(of: State.self, capacity: 2 * Self.stateCapacity) { memory in
            guard let base = memory.baseAddress else { return .none }
            var current = StateBuffer(base)
            var next = StateBuffer(base + Self.stateCapacity)
            for state in initialStates { current.push(state) }
            for unit in units {
                if unit == 0 { return .some(nil) }
                next.count = 0
                for k in 0..<current.count { step(current.base[k], unit, into: &next) }
                if next.overflowed { return .none }
                if next.count == 0 { return .some(nil) }
                swap(&current, &next)
            }
            var best: Int?
            for k in 0..<current.count {
                guard let entry = acceptedFast(current.base[k]) else { continue }
                if let b = best, entryLengths[b] > entryLengths[entry] || (entryLengths[b] == entryLengths[entry] && b < entry) {
                    continue
                }
                best = entry
            }
            return .some(best)
        }
        if let answer { return answer }
        var scratch = Scratch()
        return match(ArraySlice(units), scratch: &scratch)
    }

    @inline(__always)
    private func step(_ state: State, _ unit: LetterSet, into out: inout StateBuffer) {
        if state.last != 0, unit & Letters.set(state.last) != 0 { // a repeated letter
            var stretched = state
            stretched.extra = min(state.extra + 1, 2)
            out.push(stretched)
        }
        if state.extra == 1, !isDoublingSpot(state) { return }
        var bits = unit
        while bits != 0 {
            let code = LetterCode(truncatingIfNeeded: bits.trailingZeroBitCount)
            bits &= bits &- 1
            let child = forest.child(state.node, code)
            guard child >= 0 else { continue }
            var moved = state
            moved.node = child
            moved.last = code
            moved.extra = 0
            out.push(moved)
            epsilonFast(moved, &out)
        }
    }

    @inline(__always)
    private func epsilonFast(_ state: State, _ out: inout StateBuffer) {
        guard forest.isTerminal(state.node) else { return }
        let node = Int(truncatingIfNeeded: state.node)
        switch state.phase {
        case .prefix:
            out.push(State(phase: .stem, affix: state.affix, last: state.last, extra: 0, prefixed: true,
                           node: stemRoot, entry: -1))
        case .stem:
            for k in Int(truncatingIfNeeded: stemEndOffsets[node])..<Int(truncatingIfNeeded: stemEndOffsets[node + 1]) {
                let end = stemEndItems[k]
                guard !state.prefixed || end.affix == state.affix else { continue }
                out.push(State(phase: .suffix, affix: end.affix, last: state.last, extra: 0, prefixed: state.prefixed,
                               node: affixRoots[Int(truncatingIfNeeded: end.affix)].suffixes, entry: end.entry))
            }
            for k in Int(truncatingIfNeeded: dropEndOffsets[node])..<Int(truncatingIfNeeded: dropEndOffsets[node + 1]) {
                let end = dropEndItems[k]
                guard !state.prefixed || end.affix == state.affix else { continue }
                out.push(State(phase: .dropSuffix, affix: end.affix, last: state.last, extra: 0, prefixed: state.prefixed,
                               node: affixRoots[Int(truncatingIfNeeded: end.affix)].dropSuffixes, entry: end.entry))
            }
        case .suffix, .dropSuffix:
            break
        }
    }

    private func acceptedFast(_ state: State) -> Int? {
        if state.extra == 1 { return nil }
        let node = Int(truncatingIfNeeded: state.node)
        switch state.phase {
        case .prefix:
            return nil
        case .stem:
            if !state.prefixed, exactByNode[node] >= 0 { return Int(truncatingIfNeeded: exactByNode[node]) }
            for k in Int(truncatingIfNeeded: stemEndOffsets[node])..<Int(truncatingIfNeeded: stemEndOffsets[node + 1]) {
                let end = stemEndItems[k]
                if !state.prefixed || end.affix == state.affix { return Int(truncatingIfNeeded: end.entry) }
            }
            return nil
        case .suffix, .dropSuffix:
            return forest.isTerminal(state.node) ? Int(truncatingIfNeeded: state.entry) : nil
        }
    }

    @inline(__always)
    private func push(_ state: State, _ out: inout [State]) {
        if !out.contains(state) { out.append(state) }
    }
}
