/// Several tries over `LetterCode`s sharing one flat node store, so that a
/// matcher state is just a node id: node `n`'s child for code `c` is
/// `children[n * Letters.codeCount + c]`, `-1` when absent.
struct TrieForest: Sendable {
    private var children: [Int32] = []
    private var terminal: [Bool] = []

    /// How many nodes all the tries hold together; node ids are `0..<nodeCount`.
    var nodeCount: Int { terminal.count }

    /// Adds an empty trie and returns its root.
    mutating func addRoot() -> Int32 { newNode() }

    /// Inserts `word` below `root` and returns the node it ends on, marked
    /// terminal unless `terminal` is false.
    @discardableResult
    mutating func insert(_ word: some Sequence<LetterCode>, below root: Int32, terminal isTerminal: Bool = true) -> Int32 {
        var node = root
        for code in word {
            let slot = Int(node) * Letters.codeCount + Int(code)  // safe: node ids index our own arrays; widening Int32 -> Int
            if children[slot] < 0 { children[slot] = newNode() }
            node = children[slot]
        }
        if isTerminal { terminal[Int(node)] = true }  // safe: node ids index our own arrays; widening Int32 -> Int
        return node
    }

    /// Whether anything was inserted below `root`.
    func hasChildren(_ root: Int32) -> Bool {
        let base = Int(root) * Letters.codeCount  // safe: node ids index our own arrays; widening Int32 -> Int
        return children[base..<(base + Letters.codeCount)].contains { $0 >= 0 }
    }

    @inline(__always)
    func child(_ node: Int32, _ code: LetterCode) -> Int32 {
        children[Int(node) &* Letters.codeCount &+ Int(code)]  // safe: node ids index our own arrays; widening Int32 -> Int
    }

    @inline(__always)
    func isTerminal(_ node: Int32) -> Bool { terminal[Int(node)] }  // safe: node ids index our own arrays; widening Int32 -> Int

    private mutating func newNode() -> Int32 {
        terminal.append(false)
        children.append(contentsOf: repeatElement(-1, count: Letters.codeCount))
        return Int32(terminal.count - 1)  // safe: node ids index our own arrays; widening Int32 -> Int
    }
}
