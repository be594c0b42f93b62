import Foundation
import KChatFuzz
import Testing

/// Every committed seed (Fuzz/Corpus/<target>/) and every crash reproducer found so far
/// (Fuzz/Regressions/<target>/) runs through its fuzz target once: a regression traps here.
@Suite("Fuzz corpus and regressions replay")
struct FuzzReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ folder: String, _ target: String) -> [URL] {
        let dir = root.appendingPathComponent(folder).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map { dir.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTargets.all.map(\.name))
    func replay(_ name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let seeds = Self.inputs("Corpus", name)
        #expect(!seeds.isEmpty, "Fuzz/Corpus/\(name) has seeds")
        for file in seeds + Self.inputs("Regressions", name) {
            target.run(Array(try Data(contentsOf: file)))
        }
    }
}
