import ChatModel
import Foundation
import Testing

@Suite struct ChatMessageJSONTests {
    let t = Date(timeIntervalSince1970: 1_795_371_584.123)  // 2026-11-22T18:19:44.123Z

    @Test func encodesExactWireJSON() {
        let m = ChatMessage(id: "6b3c1d2e-0000-4000-8000-000000000001", channel: "general",
                            author: "alice", data: "text", timestamp: t)
        #expect(m.jsonString == #"{"id":"6b3c1d2e-0000-4000-8000-000000000001","channel":"general","author":"alice","data":"text","timestamp":"2026-11-22T18:19:44.123Z"}"#)
    }

    @Test func encodesModerationOnlyWhenPresent() {
        let m = ChatMessage(id: "x1", channel: "general", author: "bob", data: "**** off", timestamp: t,
                            moderation: .init(masked: 4))
        #expect(m.jsonString == #"{"id":"x1","channel":"general","author":"bob","data":"**** off","timestamp":"2026-11-22T18:19:44.123Z","moderation":{"masked":4}}"#)
        #expect(!ChatMessage(id: "x", channel: "c", author: "a", data: "d", timestamp: t).jsonString.contains("moderation"))
    }

    @Test func escapesStringsWithoutEscapingSlashes() {
        let m = ChatMessage(id: "i", channel: "c", author: "a", data: "say \"hi\"\n\\ a/b\u{1}\t ü 你好", timestamp: t)
        #expect(m.jsonString.contains(#""data":"say \"hi\"\n\\ a/b\u0001\t ü 你好""#))
    }

    @Test func roundTripsThroughDecode() throws {
        let m = ChatMessage(id: "abc", channel: "@alice+bob", author: "alice", data: "héllo 👋\n2nd line",
                            timestamp: t, moderation: .init(masked: 0))
        let back = try ChatMessage.decode(from: m.jsonData())
        #expect(back == m)
        #expect(back.jsonData() == m.jsonData())
    }

    @Test func codableWorksWithJSONEncoderAndDecoder() throws {
        let m = ChatMessage(id: "abc", channel: "general", author: "alice", data: "hi", timestamp: t)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(m), as: UTF8.self)
        #expect(text == #"{"author":"alice","channel":"general","data":"hi","id":"abc","timestamp":"2026-11-22T18:19:44.123Z"}"#)
        #expect(try JSONDecoder().decode(ChatMessage.self, from: Data(text.utf8)) == m)
    }

    @Test func decodesClassicExerciseTimestamp() throws {
        let m = try ChatMessage.decode(json: #"{"id":"1","channel":"general","author":"bob","data":"hi","timestamp":"2021-10-10 10:10:10"}"#)
        #expect(m.timestamp == Date(timeIntervalSince1970: 1_633_860_610))
        #expect(m.jsonString.hasSuffix(#""timestamp":"2021-10-10T10:10:10.000Z"}"#))
    }

    @Test func missingIDIsDerivedDeterministically() throws {
        let json = #"{"channel":"general","author":"alice","data":"hi","timestamp":"2021-10-10T10:10:10Z"}"#
        let a = try ChatMessage.decode(json: json)
        let b = try ChatMessage.decode(json: #"{"author":"alice","data":"hi","timestamp":"2021-10-10 10:10:10","channel":"general"}"#)
        #expect(a.id == "626e3322-0358-52ef-9856-448b181d70f5")  // UUIDv5, computed independently
        #expect(a.id == b.id)
        let other = try ChatMessage.decode(json: json.replacingOccurrences(of: "\"hi\"", with: "\"hi!\""))
        #expect(other.id != a.id)
    }

    @Test func channelFallsBackToKafkaKey() throws {
        let json = #"{"id":"1","author":"alice","data":"hi","timestamp":"2021-10-10 10:10:10"}"#
        #expect(try ChatMessage.decode(json: json, defaultChannel: "random").channel == "random")
        let withChannel = #"{"id":"1","channel":"general","author":"a","data":"d","timestamp":"2021-10-10 10:10:10"}"#
        #expect(try ChatMessage.decode(json: withChannel, defaultChannel: "random").channel == "general")
    }

    @Test func uuidV5MatchesRFCExample() {
        let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(UUIDv5.make(namespace: dns, name: "python.org").uuidString.lowercased()
                == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }
}

@Suite struct ChatMessageDecodeErrorTests {
    func error(_ json: String, defaultChannel: String? = nil) -> ChatModelError? {
        do {
            _ = try ChatMessage.decode(json: json, defaultChannel: defaultChannel)
            return nil
        } catch {
            return error
        }
    }

    @Test func notJSON() {
        let e = error("hello world")
        #expect(e?.code == .malformedJSON)
        #expect(e?.description.hasPrefix("malformed JSON") == true)
        #expect(error("")?.description == "malformed JSON: empty value")
        #expect(error(#"{"author":"a""#)?.code == .malformedJSON)
    }

    @Test func notAnObject() {
        #expect(error("[1,2,3]") == ChatModelError(.malformedJSON, "malformed JSON: expected a JSON object"))
        #expect(error("\"text\"")?.code == .malformedJSON)
    }

    @Test func missingFields() {
        #expect(error(#"{"channel":"g","data":"d","timestamp":"2021-10-10 10:10:10"}"#)?.description
                == "missing field 'author'")
        #expect(error(#"{"channel":"g","author":"a","timestamp":"2021-10-10 10:10:10"}"#)?.field == "data")
        #expect(error(#"{"channel":"g","author":"a","data":"d"}"#)?.description == "missing field 'timestamp'")
        #expect(error(#"{"author":"a","data":"d","timestamp":"2021-10-10 10:10:10"}"#)?.description
                == "missing field 'channel'")
        #expect(error(#"{"channel":"g","author":null,"data":"d","timestamp":"2021-10-10 10:10:10"}"#)?.code
                == .missingField)
    }

    @Test func wrongTypes() {
        let e = error(#"{"channel":"g","author":42,"data":"d","timestamp":"2021-10-10 10:10:10"}"#)
        #expect(e == ChatModelError(.invalidField, "field 'author' must be a string", field: "author"))
        #expect(error(#"{"channel":"g","author":"a","data":"d","timestamp":true}"#)?.code == .invalidField)
        #expect(error(#"{"channel":"g","author":"a","data":"d","timestamp":"2021-10-10 10:10:10","moderation":5}"#)?.field
                == "moderation")
    }

    @Test func badTimestamp() {
        let e = error(#"{"channel":"g","author":"a","data":"d","timestamp":"yesterday"}"#)
        #expect(e?.code == .invalidTimestamp)
        #expect(e?.description.contains("'yesterday'") == true)
        #expect(error(#"{"channel":"g","author":"a","data":"d","timestamp":"2021-02-30 10:10:10"}"#)?.code
                == .invalidTimestamp)
    }

    @Test func epochNumbersAreAccepted() throws {
        let s = try ChatMessage.decode(json: #"{"channel":"g","author":"a","data":"d","timestamp":1633860610}"#)
        let ms = try ChatMessage.decode(json: #"{"channel":"g","author":"a","data":"d","timestamp":1633860610500}"#)
        #expect(s.timestamp == Date(timeIntervalSince1970: 1_633_860_610))
        #expect(ms.timestamp == Date(timeIntervalSince1970: 1_633_860_610.5))
    }
}
