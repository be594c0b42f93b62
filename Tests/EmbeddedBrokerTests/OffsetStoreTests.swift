import Foundation
import Testing
@testable import EmbeddedBroker
import TestSupport

@Suite("Committed offsets")
struct OffsetStoreTests {
    @Test func survivesReopenAndIgnoresATornLine() throws {
        let dir = TemporaryDirectory()
        do {
            let store = try OffsetStore(dataDirectory: dir.path)
            _ = try store.commit(group: "g", [("t", 0, .init(offset: 5, metadata: nil)), ("t", 1, .init(offset: 7, metadata: "m"))])
            _ = try store.commit(group: "g", [("t", 0, .init(offset: 9, metadata: nil))])
            _ = try store.commit(group: "h", [("t", 0, .init(offset: 1, metadata: nil))])
        }
        let path = dir.path + "/groups/offsets.log"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"g\":\"g\",\"t\":\"t\",\"p\":0,\"o\":1".utf8)) // torn write
        try handle.close()
        let store = try OffsetStore(dataDirectory: dir.path)
        let g = store.offsets(group: "g")
        #expect(g[.init(group: "g", topic: "t", partition: 0)]?.offset == 9)
        #expect(g[.init(group: "g", topic: "t", partition: 1)] == .init(offset: 7, metadata: "m"))
        #expect(store.offsets(group: "h").count == 1)
    }
}
