import ChatModel
import Foundation
import Testing

@Suite struct ControlEventTests {
    let t = Date(timeIntervalSince1970: 1_795_371_584.123)

    @Test func warningExactJSON() {
        let e = ControlEvent.warning(user: "bob", warnings: 2, limit: 3, channel: "general",
                                     messageId: "m-1", timestamp: t)
        #expect(e.jsonString == #"{"type":"warning","user":"bob","warnings":2,"limit":3,"channel":"general","messageId":"m-1","timestamp":"2026-11-22T18:19:44.123Z"}"#)
    }

    @Test func optionalFieldsOmitted() {
        #expect(ControlEvent.join(user: "bob", channel: "general", timestamp: t).jsonString
                == #"{"type":"join","user":"bob","channel":"general","timestamp":"2026-11-22T18:19:44.123Z"}"#)
        #expect(ControlEvent.unblocked(user: "bob", reason: "appeal", timestamp: t).jsonString
                == #"{"type":"unblocked","user":"bob","timestamp":"2026-11-22T18:19:44.123Z","reason":"appeal"}"#)
    }

    @Test func roundTripsAllKinds() throws {
        let events: [ControlEvent] = [
            .warning(user: "a", warnings: 1, limit: 3, channel: "c", messageId: "m", reason: "r", timestamp: t),
            .blocked(user: "a", warnings: 3, limit: 3, timestamp: t),
            .unblocked(user: "a", timestamp: t),
            .rejected(user: "a", channel: "c", messageId: "m", timestamp: t),
            .join(user: "a", channel: "c", timestamp: t),
            .leave(user: "a", channel: "c", timestamp: t),
        ]
        #expect(Set(events.map(\.type)) == Set(ControlEvent.Kind.allCases))
        for e in events {
            #expect(try ControlEvent.decode(from: e.jsonData()) == e)
        }
    }

    @Test func decodeErrors() {
        func code(_ s: String) -> ChatModelError? {
            do { _ = try ControlEvent.decode(from: Data(s.utf8)); return nil } catch { return error }
        }
        #expect(code(#"{"type":"explode","user":"a","timestamp":"2021-10-10 10:10:10"}"#)?.description
                == "unknown control event type 'explode'")
        #expect(code(#"{"type":"join","timestamp":"2021-10-10 10:10:10"}"#)?.description == "missing field 'user'")
        #expect(code(#"{"type":"warning","user":"a","warnings":"two","timestamp":"2021-10-10 10:10:10"}"#)?.description
                == "field 'warnings' must be an integer")
        #expect(code("nope")?.code == .malformedJSON)
    }
}
