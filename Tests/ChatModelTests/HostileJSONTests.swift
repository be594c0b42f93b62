import ChatModel
import Foundation
import Testing

/// Values that once crashed a consumer (a `"timestamp":1e19` killed the moderator, the store writer
/// and every TUI): each must decode to a clear error, or to a value that can be encoded again.
@Suite struct HostileJSONTests {
    static let hugeNumbers = ["1e19", "-1e19", "1e308", "-1e308", "9223372036854775808", "-9223372036854775809",
                              "1.7976931348623157e308", "18446744073709551616"]

    @Test(arguments: hugeNumbers)
    func hugeTimestampInAMessageIsAnError(number: String) {
        let json = #"{"id":"i","channel":"general","author":"eve","data":"x","timestamp":"# + number + "}"
        #expect(throws: ChatModelError.self) { try ChatMessage.decode(json: json) }
    }

    @Test(arguments: hugeNumbers)
    func hugeMaskedCountIsAnError(number: String) {
        let json = #"{"id":"i","channel":"general","author":"eve","data":"x","timestamp":"2026-11-22T18:19:44Z","moderation":{"masked":"# + number + "}}"
        #expect(throws: ChatModelError.self) { try ChatMessage.decode(json: json) }
    }

    @Test(arguments: hugeNumbers)
    func hugeNumbersInAControlEventAreErrors(number: String) {
        for field in ["warnings", "limit", "timestamp"] {
            var fields = [#""type":"warning""#, #""user":"bob""#, #""timestamp":"2026-11-22T18:19:44Z""#]
            if field == "timestamp" { fields.removeLast() }
            fields.append("\"\(field)\":\(number)")
            let json = "{" + fields.joined(separator: ",") + "}"
            #expect(throws: ChatModelError.self) { try ControlEvent.decode(from: Data(json.utf8)) }
        }
    }

    @Test func smallEpochNumbersStillDecodeAndEncode() throws {
        let seconds = try ChatMessage.decode(json: #"{"channel":"g","author":"a","data":"x","timestamp":1795371584}"#)
        #expect(seconds.jsonString.contains(#""timestamp":"2026-11-22T18:19:44.000Z""#))
        let millis = try ChatMessage.decode(json: #"{"channel":"g","author":"a","data":"x","timestamp":1795371584123}"#)
        #expect(millis.jsonString.contains(#""timestamp":"2026-11-22T18:19:44.123Z""#))
    }

    @Test func deepNestingIsAnError() {
        let depth = 100_000
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let json = #"{"channel":"g","author":"a","data":"x","timestamp":"2026-11-22T18:19:44Z","extra":"# + nested + "}"
        // Foundation's parser refuses nesting deeper than 512: a clear error, not a stack overflow.
        #expect(throws: ChatModelError.self) { try ChatMessage.decode(json: json) }
        #expect(throws: ChatModelError.self) { try ControlEvent.decode(from: Data(json.utf8)) }
    }

    @Test func invalidUTF8IsAnError() {
        var bytes = Array(#"{"channel":"g","author":"a","data":"x"#.utf8)
        bytes += [0xFF, 0xFE, 0xC0, 0x80]
        bytes += Array(#"","timestamp":"2026-11-22T18:19:44Z"}"#.utf8)
        #expect(throws: ChatModelError.self) { try ChatMessage.decode(from: Data(bytes)) }
    }

    @Test func everyDecodedTimestampFormatsBack() throws {
        for text in ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "0001-01-01 00:00:00"] {
            let json = #"{"channel":"g","author":"a","data":"x","timestamp":""# + text + #""}"#
            let message = try ChatMessage.decode(json: json)
            #expect(try ChatMessage.decode(from: message.jsonData()) == message)
        }
    }
}
