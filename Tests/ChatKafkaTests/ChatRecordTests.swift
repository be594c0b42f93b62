import ChatKafka
import ChatModel
import Foundation
import KafkaClient
import Testing

@Suite("ChatRecord: each record kind's topic, key and value, both ways")
struct ChatRecordTests {
    let topics = TopicNames()
    let message = ChatMessage(id: "m1", channel: "general", author: "alice", data: "hi",
                              timestamp: Date(timeIntervalSince1970: 1_700_000_000))

    private func consumed(_ record: ChatRecord, timestamp: Int64? = 1_700_000_000_000) -> ConsumedMessage {
        ConsumedMessage(topic: record.topic, partition: 0, offset: 0, key: record.key, value: record.value,
                        timestampMilliseconds: timestamp)
    }

    @Test func messagesAreKeyedByChannelAndReadBackTheSame() throws {
        let sent = ChatRecord.message(message, topics: topics)
        #expect(sent.topic == topics.chat)
        #expect(sent.key == Array("general".utf8))
        #expect(try consumed(sent).chatMessage() == message)
        let inbox = ChatRecord.moderated(message, on: topics.inbox("bob"))
        #expect(inbox.topic == "chat_inbox.bob")
        #expect(inbox.value == sent.value, "one encoder for every copy")
    }

    @Test func presenceGoesToChatByChannelAndControlToChatControlByUser() throws {
        let join = ControlEvent(type: .join, user: "alice", channel: "random", timestamp: message.timestamp)
        let presence = ChatRecord.presence(join, topics: topics)
        #expect(presence.topic == topics.chat)
        #expect(presence.key == Array("random".utf8), "in order with the channel's messages")
        let warning = ControlEvent(type: .warning, user: "bob", warnings: 1, limit: 3, channel: "random",
                                   timestamp: message.timestamp)
        let control = ChatRecord.control(warning, topics: topics)
        #expect(control.topic == topics.control)
        #expect(control.key == Array("bob".utf8), "a user's events stay in order")
        #expect(try consumed(control).controlEvent() == warning)
    }

    @Test func deadLettersKeepTheOriginalKey() {
        let letter = DeadLetter(reason: "malformed JSON", topic: "chat", partition: 1, offset: 7, key: "general", value: "{")
        let record = ChatRecord.deadLetter(letter, topics: topics)
        #expect(record.topic == topics.deadLetter)
        #expect(record.key == Array("general".utf8))
    }

    @Test func channelChangesReadBackAsCreatedOrDeleted() throws {
        let info = ChannelInfo(name: "random", createdBy: "alice", createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        let created = consumed(try ChatRecord.channelCreated(info, topics: topics)).channelChange()
        #expect(created?.name == "random")
        #expect(created?.info == info)
        let deleted = consumed(ChatRecord.channelDeleted("random", topics: topics)).channelChange()
        #expect(deleted?.name == "random")
        #expect(deleted?.info == nil)
        let garbage = consumed(ChatRecord(topic: topics.channels, key: Array("random".utf8), value: Array("{".utf8)))
        #expect(garbage.channelChange()?.info?.createdBy == "", "an unreadable value still names its channel")
        let badName = consumed(ChatRecord(topic: topics.channels, key: Array("no such/name".utf8), value: []))
        #expect(badName.channelChange() == nil)
    }
}
