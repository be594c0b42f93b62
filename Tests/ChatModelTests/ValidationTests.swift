import ChatModel
import Foundation
import Testing

@Suite struct ValidationTests {
    func message(channel: String = "general", author: String = "alice", data: String = "hi") -> ChatMessage {
        ChatMessage(id: "id-1", channel: channel, author: author, data: data,
                    timestamp: Date(timeIntervalSince1970: 0))
    }

    func code(_ m: ChatMessage) -> ChatModelError.Code? {
        do { try m.validate(); return nil } catch { return error.code }
    }

    @Test func sizeLimitIs4096Bytes() throws {
        try message(data: String(repeating: "a", count: 4096)).validate()
        #expect(throws: ChatModelError(.messageTooLarge, "message text is 4097 bytes, the limit is 4096 bytes",
                                       field: "data")) {
            try message(data: String(repeating: "a", count: 4097)).validate()
        }
        // Bytes, not characters: 1366 x "é" (2 bytes each) = 2732 ok, 2049 x 2 = 4098 too large.
        try message(data: String(repeating: "é", count: 2048)).validate()
        #expect(code(message(data: String(repeating: "é", count: 2049))) == .messageTooLarge)
    }

    @Test func emptyOrWhitespaceText() {
        #expect(code(message(data: "")) == .emptyMessage)
        #expect(code(message(data: " \n\t ")) == .emptyMessage)
    }

    @Test func channelRules() {
        #expect(code(message(channel: "general")) == nil)
        #expect(code(message(channel: "dev.ops_2-x")) == nil)
        #expect(code(message(channel: String(repeating: "a", count: 64))) == nil)
        #expect(code(message(channel: String(repeating: "a", count: 65))) == .invalidChannel)
        #expect(code(message(channel: "")) == .invalidChannel)
        #expect(code(message(channel: "General")) == .invalidChannel)
        #expect(code(message(channel: "#general")) == .invalidChannel)
        #expect(code(message(channel: "gen eral")) == .invalidChannel)
        #expect(code(message(channel: "@alice+bob")) == nil)
        #expect(code(message(channel: "@bob+alice")) == .invalidChannel)
        #expect(code(message(channel: "@alice+alice")) == .invalidChannel)
        #expect(code(message(channel: "@alice")) == .invalidChannel)
        #expect(code(message(channel: "@alice+b ob")) == .invalidChannel)
    }

    @Test func authorRules() {
        #expect(code(message(author: "Alice_1.x-y")) == nil)
        #expect(code(message(author: "")) == .invalidAuthor)
        #expect(code(message(author: String(repeating: "a", count: 32))) == nil)
        #expect(code(message(author: String(repeating: "a", count: 33))) == .invalidAuthor)
        #expect(code(message(author: "al ice")) == .invalidAuthor)
        #expect(code(message(author: "ålice")) == .invalidAuthor)
    }

    @Test func idRules() {
        var m = message()
        m.id = ""
        #expect(code(m) == .invalidID)
        m.id = String(repeating: "x", count: 129)
        #expect(code(m) == .invalidID)
    }

    @Test func directChannelNamesAreSorted() {
        #expect(ChannelName.direct("bob", "alice") == "@alice+bob")
        #expect(ChannelName.direct("alice", "bob") == "@alice+bob")
        #expect(ChannelName.direct("Zed", "adam") == "@Zed+adam")  // byte order: 'Z' < 'a'
        #expect(ChannelName.isValid(ChannelName.direct("Zed", "adam")))
        #expect(ChannelName.peer(of: "@alice+bob", me: "bob") == "alice")
        #expect(ChannelName.peer(of: "@alice+bob", me: "carol") == nil)
        #expect(ChannelName.normalize("  #General ") == "general")
        #expect(ChannelName.normalize("@Bob+alice") == "@Bob+alice")
    }
}

@Suite struct TopicAndDeadLetterTests {
    @Test func topicNames() {
        let t = TopicNames(prefix: "chat")
        #expect([t.chat, t.controlled, t.control, t.deadLetter] == ["chat", "chat_controlled", "chat_control", "chat_dlq"])
        #expect(TopicNames(prefix: "test1").all == ["test1", "test1_controlled", "test1_control", "test1_dlq", "test1_channels",
                                                      "test1_private"])
        #expect(TopicNames() == t)
    }

    @Test func deadLetterFromRawBytes() throws {
        let dl = DeadLetter(reason: "missing field 'author'", topic: "chat", partition: 2, offset: 42,
                            rawKey: Array("general".utf8), rawValue: [0x7B, 0xFF, 0x22],
                            timestamp: Date(timeIntervalSince1970: 0))
        #expect(dl.value == "{\u{FFFD}\"")
        #expect(dl.jsonString == #"{"reason":"missing field 'author'","topic":"chat","partition":2,"offset":42,"key":"general","value":"{�\"","timestamp":"1970-01-01T00:00:00.000Z"}"#)
        let back = try JSONDecoder().decode(DeadLetter.self, from: dl.jsonData())
        #expect(back == dl)
        let noKey = DeadLetter(reason: "r", topic: "chat", partition: 0, offset: 1, rawKey: nil as [UInt8]?,
                               rawValue: Data("x".utf8), timestamp: Date(timeIntervalSince1970: 0))
        #expect(!noKey.jsonString.contains("\"key\""))
    }
}
