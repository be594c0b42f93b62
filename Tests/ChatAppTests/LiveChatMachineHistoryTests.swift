import ChatApp
import ChatKafka
import ChatModel
import ChatTUI
import Foundation
import KafkaClient
import Testing

private let topics = TopicNames()
private let t0 = ContinuousClock.now

/// Message `n` of `channel`: ids and timestamps grow with `n`, so order is checkable.
private func message(_ n: Int64, _ channel: String = "general") -> ChatMessage {
    ChatMessage(id: "\(channel)-\(n)", channel: channel, author: "bob", data: "m\(n)",
                timestamp: Date(timeIntervalSince1970: 1_795_371_584 + Double(n)))
}

/// The record at `offset` of `chat_controlled[partition]`, a message of `channel(offset)`.
private func record(_ offset: Int64, partition: Int32 = 0, topic: String = topics.controlled,
                    channel: (Int64) -> String = { _ in "general" }) -> ConsumedMessage {
    let m = message(offset, channel(offset))
    return ConsumedMessage(topic: topic, partition: partition, offset: offset, key: Array(m.channel.utf8),
                           value: Array(m.jsonData()), timestampMilliseconds: nil)
}

private func records(_ offsets: Range<Int64>, partition: Int32 = 0, topic: String = topics.controlled,
                     channel: @escaping (Int64) -> String = { _ in "general" }) -> [ConsumedMessage] {
    offsets.map { record($0, partition: partition, topic: topic, channel: channel) }
}

/// Every third record is #random, the others #general.
private let mixed: @Sendable (Int64) -> String = { $0 % 3 == 0 ? "random" : "general" }

private func seeks(_ out: LiveChatMachine.Output) -> [[TopicPartitionOffset]] {
    out.commands.compactMap { if case .seek(let s) = $0 { s } else { nil } }
}

private func loaded(_ out: LiveChatMachine.Output) -> [(channel: String, ids: [String])] {
    out.actions.compactMap { if case .historyLoaded(let c, let ms) = $0 { (c, ms.map(\.id)) } else { nil } }
}

private func incomingIDs(_ out: LiveChatMachine.Output) -> [String] {
    out.actions.compactMap { if case .incoming(let m) = $0 { m.id } else { nil } }
}

private func seek(_ partition: Int32, _ offset: Int64, topic: String = topics.controlled) -> [TopicPartitionOffset] {
    [TopicPartitionOffset(topic: topic, partition: partition, offset: .offset(offset))]
}

/// Set up with these ends of `chat_controlled`, assigned, and its first window read (records of
/// `channel` in partition 0, of #ops in the others); `general` asked for its history meanwhile.
private func started(_ ends: [Int32: Int64], channel: @escaping (Int64) -> String = { _ in "general" },
                     inboxEnds: [Int32: Int64]? = nil) -> (LiveChatMachine, LiveChatMachine.Output) {
    var m = LiveChatMachine(user: "dave", topics: topics)
    _ = m.handle(.start, now: t0)
    _ = m.handle(.effect(.requestHistory(channel: "general", before: nil)), now: t0)
    _ = m.handle(.setUpSucceeded(controlledEnds: ends, controlEnds: [0: 0], inboxEnds: inboxEnds), now: t0)
    _ = m.handle(.assigned, now: t0)
    var all: [LiveChatMachine.Output] = []
    for (partition, end) in ends.sorted(by: { $0.key < $1.key }) {
        let start = max(0, end - Int64(LiveChatMachine.firstWindowPerPartition))
        all.append(m.handle(.records(records(start..<end, partition: partition, channel: partition == 0 ? channel : { _ in "ops" })),
                            now: t0))
    }
    var out = all.removeLast()
    for o in all.reversed() {
        out.actions.insert(contentsOf: o.actions, at: 0)
        out.commands.insert(contentsOf: o.commands, at: 0)
    }
    return (m, out)
}

@Suite("LiveChatMachine: first window and older history")
struct LiveChatMachineHistoryTests {
    @Test func theFirstWindowIsTheSameSizeWhateverTheTopicsSize() {
        for end: Int64 in [1_000, 10_000_000] {
            var m = LiveChatMachine(user: "dave", topics: topics)
            _ = m.handle(.start, now: t0)
            let out = m.handle(.setUpSucceeded(controlledEnds: [0: end, 1: end], controlEnds: [0: 0]), now: t0)
            #expect(out.commands == [.assign([
                TopicPartitionOffset(topic: "chat_controlled", partition: 0, offset: .offset(end - 300)),
                TopicPartitionOffset(topic: "chat_controlled", partition: 1, offset: .offset(end - 300)),
                TopicPartitionOffset(topic: "chat_control", partition: 0, offset: .offset(0)),
            ])])
        }
    }

    @Test func theFirstWindowIsPostedAsSoonAsItsLastRecordIsRead() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.effect(.requestHistory(channel: "general", before: nil)), now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 10_000_000], controlEnds: [0: 0]), now: t0)
        _ = m.handle(.assigned, now: t0)
        #expect(m.handle(.records(records(9_999_700..<9_999_999)), now: t0).actions.isEmpty)
        let out = m.handle(.records([record(9_999_999)]), now: t0)
        #expect(loaded(out).map(\.ids) == [(9_999_900..<10_000_000).map { "general-\($0)" }], "the newest 100")
        #expect(out.commands.isEmpty, "nothing else asked for: the page came from the window")
    }

    @Test func anOlderPageComesFromTheRESTAPIWhenTheWindowHasNoMore() {
        var (m, first) = started([0: 1_000])
        #expect(loaded(first).first?.ids.count == 100)
        // The window (700..<1000) holds 300 #general: two more pages come from it.
        let page2 = m.handle(.effect(.requestHistory(channel: "general", before: "general-900")), now: t0)
        #expect(loaded(page2).map(\.ids) == [(800..<900).map { "general-\($0)" }])
        let past = m.handle(.effect(.requestHistory(channel: "general", before: "general-700")), now: t0)
        #expect(past.actions.isEmpty)
        #expect(past.commands == [.fetchOlderHistory(channel: "general", before: "general-700")])
        let answer = m.handle(.olderFetched(channel: "general", messages: [message(698), message(699)]), now: t0)
        #expect(answer.actions == [.historyLoaded(channel: "general", messages: [message(698), message(699)])])
        #expect(seeks(answer).isEmpty, "Kafka is not read back while the API answers")
    }

    @Test func whenTheRESTAPIFailsTheOlderPageIsReadBackFromKafka() {
        var (m, _) = started([0: 1_000], channel: mixed)
        _ = m.handle(.effect(.requestHistory(channel: "general", before: "general-700")), now: t0)
        let failed = m.handle(.olderFetchFailed(channel: "general", before: "general-700", reason: "refused"), now: t0)
        #expect(seeks(failed) == [seek(0, 200)], "back one step below the window")
        #expect(m.readingBack == "general")
        // 200..<700 holds 333 #general: the page is full after this one step.
        let step = m.handle(.records(records(200..<700, channel: mixed)), now: t0)
        #expect(seeks(step) == [seek(0, 1_000)], "forward to the live position again")
        let ids = loaded(step).first?.ids ?? []
        #expect(ids == (200..<700).filter { mixed($0) == "general" }.map { "general-\($0)" })
        #expect(m.readingBack == nil)
        // Re-read records of the window (fetched before the forward seek) are skipped.
        let reread = m.handle(.records(records(700..<1_000, channel: mixed)), now: t0)
        #expect(reread.actions.isEmpty && reread.commands.isEmpty)
        #expect(incomingIDs(m.handle(.records([record(1_000)]), now: t0)) == ["general-1000"])

        // The next page goes on below: 0..<200 is all that is left.
        _ = m.handle(.effect(.requestHistory(channel: "general", before: "general-200")), now: t0)
        let failedAgain = m.handle(.olderFetchFailed(channel: "general", before: "general-200", reason: "refused"), now: t0)
        #expect(seeks(failedAgain) == [seek(0, 0)])
        let last = m.handle(.records(records(0..<200, channel: mixed)), now: t0)
        #expect(loaded(last).first?.ids == (0..<200).filter { mixed($0) == "general" }.map { "general-\($0)" })
        #expect(seeks(last) == [seek(0, 1_001)])
        // Offset 0 was reached: nothing older, answered at once without reading.
        _ = m.handle(.effect(.requestHistory(channel: "general", before: "general-1")), now: t0)
        let end = m.handle(.olderFetchFailed(channel: "general", before: "general-1", reason: "refused"), now: t0)
        #expect(seeks(end).isEmpty)
        #expect(end.actions == [.historyLoaded(channel: "general", messages: [])])
    }

    @Test func aPageNeedsAsManyStepsAsItTakesToFillIt() {
        // #general is one record in 10: 50 per step of 500, two steps for a page of 100.
        let sparse: (Int64) -> String = { $0 % 10 == 0 ? "general" : "random" }
        var (m, _) = started([0: 10_300], channel: sparse)
        _ = m.handle(.effect(.requestHistory(channel: "general", before: "general-10000")), now: t0)
        #expect(seeks(m.handle(.olderFetchFailed(channel: "general", before: "general-10000", reason: "x"), now: t0))
            == [seek(0, 9_500)])
        let first = m.handle(.records(records(9_500..<10_000, channel: sparse)), now: t0)
        #expect(seeks(first) == [seek(0, 9_000)] && first.actions.isEmpty)
        let second = m.handle(.records(records(9_000..<9_500, channel: sparse)), now: t0)
        #expect(seeks(second) == [seek(0, 10_300)])
        #expect(loaded(second).first?.ids == stride(from: Int64(9_000), to: 10_000, by: 10).map { "general-\($0)" })
    }

    @Test func liveRecordsDuringAReadBackAreShownOnceAndNoneIsLost() {
        var (m, _) = started([0: 1_000, 1: 1_000], channel: mixed)
        _ = m.handle(.effect(.requestHistory(channel: "general", before: "general-700")), now: t0)
        _ = m.handle(.olderFetchFailed(channel: "general", before: "general-700", reason: "refused"), now: t0)
        // A batch fetched before the seek back took effect, and live records of the other partition.
        let late = m.handle(.records([record(1_000, partition: 0), record(1_000, partition: 1, channel: { _ in "ops" }),
                                      record(1_001, partition: 1, channel: { _ in "ops" })]), now: t0)
        #expect(incomingIDs(late) == ["general-1000", "ops-1000", "ops-1001"])
        let step = m.handle(.records(records(200..<700, channel: mixed)), now: t0)
        #expect(seeks(step) == [seek(0, 1_001)], "forward to after the late record")
        // What librdkafka fetches from there: 1000 again (a re-read), then new ones.
        let after = m.handle(.records([record(1_000, partition: 0), record(1_001, partition: 0), record(1_002, partition: 0)]), now: t0)
        #expect(incomingIDs(after) == ["general-1001", "general-1002"])
        #expect(!(loaded(step).first?.ids ?? []).contains { $0 == "general-1000" })
    }

    @Test func aQuietChannelGetsItsRecentHistoryFromTheRESTAPI() {
        var (m, _) = started([0: 1_000])
        let ask = m.handle(.effect(.requestHistory(channel: "quiet", before: nil)), now: t0)
        #expect(ask.commands == [.fetchOlderHistory(channel: "quiet", before: nil)], "not an empty channel")
        let page = [message(5, "quiet"), message(6, "quiet")]
        #expect(m.handle(.olderFetched(channel: "quiet", messages: page), now: t0).actions == [.historyLoaded(channel: "quiet", messages: page)])
    }

    @Test func withoutTheAPIAQuietChannelIsLookedForInEveryPartitionThenInItsOwn() {
        let quietIn1: (Int64) -> String = { $0 % 50 == 0 ? "quiet" : "general" }
        var (m, _) = started([0: 2_000, 1: 2_000])
        _ = m.handle(.effect(.requestHistory(channel: "quiet", before: nil)), now: t0)
        #expect(seeks(m.handle(.olderFetchFailed(channel: "quiet", before: nil, reason: "refused"), now: t0))
            == [seek(0, 1_200)])
        let p0 = m.handle(.records(records(1_200..<1_700)), now: t0)
        #expect(seeks(p0) == [seek(1, 1_200)], "not in partition 0's step: the next partition")
        let p1 = m.handle(.records(records(1_200..<1_700, partition: 1, channel: quietIn1)), now: t0)
        #expect(seeks(p1) == [seek(1, 700)], "found in partition 1: it stays there")
        let p1b = m.handle(.records(records(700..<1_200, partition: 1, channel: quietIn1)), now: t0)
        #expect(seeks(p1b) == [seek(1, 200)])
        let p1c = m.handle(.records(records(200..<700, partition: 1, channel: quietIn1)), now: t0)
        #expect(seeks(p1c) == [seek(1, 0)])
        let p1d = m.handle(.records(records(0..<200, partition: 1, channel: quietIn1)), now: t0)
        #expect(seeks(p1d) == [seek(0, 2_000) + seek(1, 2_000)], "both partitions back to live")
        #expect(loaded(p1d).first?.ids == stride(from: Int64(0), to: 1_700, by: 50).map { "quiet-\($0)" })
    }

    @Test func myOlderDMsAreReadBackFromMyInboxWithoutTheRESTAPI() {
        let dm = "@bob+dave"
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 0], inboxEnds: [0: 400]), now: t0)
        _ = m.handle(.assigned, now: t0)
        _ = m.handle(.records(records(100..<400, topic: topics.inbox("dave"), channel: { _ in dm })), now: t0)
        let first = m.handle(.effect(.requestHistory(channel: dm, before: "\(dm)-100")), now: t0)
        #expect(first.commands == [.seek(seek(0, 0, topic: "chat_inbox.dave"))], "no REST request for a DM")
        let page = m.handle(.records(records(0..<100, topic: topics.inbox("dave"), channel: { _ in dm })), now: t0)
        #expect(loaded(page).first?.ids == (0..<100).map { "\(dm)-\($0)" })
        #expect(seeks(page) == [seek(0, 400, topic: "chat_inbox.dave")])
    }

    @Test func readsBackQueueBehindTheRunningOne() {
        var (m, _) = started([0: 1_000], channel: mixed)
        _ = m.handle(.effect(.requestHistory(channel: "general", before: "general-700")), now: t0)
        _ = m.handle(.effect(.requestHistory(channel: "random", before: "random-702")), now: t0)
        _ = m.handle(.olderFetchFailed(channel: "general", before: "general-700", reason: "x"), now: t0)
        #expect(seeks(m.handle(.olderFetchFailed(channel: "random", before: "random-702", reason: "x"), now: t0)).isEmpty,
                "one read back at a time")
        let step = m.handle(.records(records(200..<700, channel: mixed)), now: t0)
        #expect(seeks(step) == [seek(0, 1_000), seek(0, 200)], "general's page ends, random's starts")
        #expect(loaded(step).map(\.channel) == ["general"])
        #expect(m.readingBack == "random")
        let next = m.handle(.records(records(200..<700, channel: mixed)), now: t0)
        #expect(loaded(next).first?.ids == (200..<700).filter { mixed($0) == "random" }.map { "random-\($0)" })
    }

    @Test func aStepThatGetsNoRecordEndsAfterTheStallTime() {
        var (m, _) = started([0: 1_000])
        _ = m.handle(.effect(.requestHistory(channel: "general", before: "general-700")), now: t0)
        _ = m.handle(.olderFetchFailed(channel: "general", before: "general-700", reason: "x"), now: t0)
        #expect(seeks(m.handle(.tick, now: t0 + .seconds(4))).isEmpty)
        let stalled = m.handle(.tick, now: t0 + .seconds(5))
        #expect(seeks(stalled) == [seek(0, 0)], "the next step")
        #expect(stalled.commands.contains { if case .log(let l) = $0 { l.contains("no record") } else { false } })
    }

    @Test func aFailedSeekAnswersWithWhatWasFound() {
        var (m, _) = started([0: 1_000])
        _ = m.handle(.effect(.requestHistory(channel: "general", before: "general-700")), now: t0)
        _ = m.handle(.olderFetchFailed(channel: "general", before: "general-700", reason: "x"), now: t0)
        let out = m.handle(.seekFailed("gone"), now: t0)
        #expect(loaded(out).map(\.ids) == [[]])
        #expect(m.readingBack == nil)
    }
}

@Suite("LiveChatMachine: history answers nobody asked for")
struct LiveChatMachineHistoryIllegalTests {
    @Test func aRESTAnswerWithoutARequestTraps() async {
        await #expect(processExitsWith: .failure) {
            var m = LiveChatMachine(user: "dave", topics: TopicNames())
            _ = m.handle(.start, now: .now)
            _ = m.handle(.olderFetched(channel: "general", messages: []), now: .now)
        }
    }

    @Test func aRESTFailureWithoutARequestTraps() async {
        await #expect(processExitsWith: .failure) {
            var m = LiveChatMachine(user: "dave", topics: TopicNames())
            _ = m.handle(.start, now: .now)
            _ = m.handle(.olderFetchFailed(channel: "general", before: nil, reason: "x"), now: .now)
        }
    }
}
