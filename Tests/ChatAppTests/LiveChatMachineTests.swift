import ChatApp
import ChatKafka
import ChatModel
import ChatTUI
import Foundation
import KafkaClient
import Testing

private let topics = TopicNames()
private let t0 = ContinuousClock.now
/// Whole seconds: control events go through JSON, which keeps milliseconds.
private let when = Date(timeIntervalSince1970: 1_795_371_584)

private func message(_ id: String, _ data: String = "hi", author: String = "bob", channel: String = "general") -> ChatMessage {
    ChatMessage(id: id, channel: channel, author: author, data: data, timestamp: Date(timeIntervalSince1970: 1_795_371_584))
}

private func record(_ m: ChatMessage, partition: Int32 = 0, offset: Int64) -> ConsumedMessage {
    ConsumedMessage(topic: topics.controlled, partition: partition, offset: offset, key: Array(m.channel.utf8),
                    value: Array(m.jsonData()), timestampMilliseconds: nil)
}

private func record(_ e: ControlEvent, partition: Int32 = 0, offset: Int64) -> ConsumedMessage {
    ConsumedMessage(topic: topics.control, partition: partition, offset: offset, key: Array(e.user.utf8),
                    value: Array(e.jsonData()), timestampMilliseconds: nil)
}

/// A machine driven to `live(up: true)` with empty topics (no history to read).
private func liveMachine(controlledEnds: [Int32: Int64] = [0: 0], controlEnds: [Int32: Int64] = [0: 0]) -> LiveChatMachine {
    var m = LiveChatMachine(user: "dave", topics: topics)
    _ = m.handle(.start, now: t0)
    _ = m.handle(.setUpSucceeded(controlledEnds: controlledEnds, controlEnds: controlEnds), now: t0)
    _ = m.handle(.assigned, now: t0)
    return m
}

private func produced(_ out: LiveChatMachine.Output) -> [LiveChatMachine.Outgoing] {
    out.commands.compactMap { if case .produce(let o) = $0 { o } else { nil } }
}

private func incomingIDs(_ out: LiveChatMachine.Output) -> [String] {
    out.actions.compactMap { if case .incoming(let m) = $0 { m.id } else { nil } }
}

@Suite("LiveChatMachine: connecting and reconnecting")
struct LiveChatMachineConnectionTests {
    @Test func startSetsUpThenAssignsBothTopicsFromTheirStartOffsets() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        #expect(m.handle(.start, now: t0).commands == [.setUp])
        let out = m.handle(.setUpSucceeded(controlledEnds: [0: 5_000, 1: 10], controlEnds: [0: 7, 1: 9_000]), now: t0)
        #expect(out.commands == [.assign([
            TopicPartitionOffset(topic: "chat_controlled", partition: 0, offset: .offset(4_700)),
            TopicPartitionOffset(topic: "chat_controlled", partition: 1, offset: .offset(0)),
            TopicPartitionOffset(topic: "chat_control", partition: 0, offset: .offset(0)),
            TopicPartitionOffset(topic: "chat_control", partition: 1, offset: .offset(7_000)),
        ])])
        #expect(!out.actions.contains(.connection(.connected(nil))), "not connected before the assignment")
        #expect(m.handle(.assigned, now: t0).actions.contains(.connection(.connected(nil))))
        #expect(m.phase == .live(up: true))
    }

    @Test func aFailedSetUpIsRetriedWithBackoffForever() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        var delays: [Duration] = []
        for _ in 0..<7 {
            let out = m.handle(.setUpFailed("timed out"), now: t0)
            #expect(out.actions == [.connection(.disconnected("timed out"))])
            guard case .retryAfter(let d) = out.commands.first else { Issue.record("no retry: \(out)"); return }
            delays.append(d)
            #expect(m.handle(.retryDue, now: t0).commands == [.setUp])
        }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5), .seconds(5)])
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 0]), now: t0)
        #expect(m.handle(.assigned, now: t0).actions.contains(.connection(.connected(nil))))
    }

    @Test func aFailedAssignIsRetriedToo() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 0]), now: t0)
        #expect(m.handle(.assignFailed("no"), now: t0).commands == [.retryAfter(.milliseconds(500))])
        #expect(m.phase == .waitingToRetry(attempt: 1))
    }

    @Test func aBrokerAnsweringWhileWaitingRetriesAtOnce() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.setUpFailed("down"), now: t0)
        let out = m.handle(.connection(.up), now: t0)
        #expect(out.commands == [.setUp])
        #expect(!out.actions.contains(.connection(.connected(nil))), "up is not connected before the assignment")
        #expect(m.handle(.retryDue, now: t0).commands.isEmpty, "the late timer is ignored")
    }

    @Test func aLateRetryTimerAfterTheRetryConnectedIsIgnored() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.setUpFailed("down"), now: t0)
        _ = m.handle(.connection(.up), now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 0]), now: t0)
        #expect(m.handle(.retryDue, now: t0).commands.isEmpty, "assigning: the timer is stale")
        _ = m.handle(.assigned, now: t0)
        #expect(m.phase == .live(up: true))
        #expect(m.handle(.retryDue, now: t0).commands.isEmpty, "live: the timer is stale")
        #expect(m.phase == .live(up: true))
    }

    @Test func downThenUpAfterTheAssignmentChangesTheStatus() {
        var m = liveMachine()
        #expect(m.handle(.connection(.down(reason: "all brokers down")), now: t0).actions == [.connection(.disconnected("all brokers down"))])
        #expect(m.phase == .live(up: false))
        #expect(m.handle(.connection(.up), now: t0).actions == [.connection(.connected(nil))])
    }
}

@Suite("LiveChatMachine: sending")
struct LiveChatMachineSendingTests {
    @Test func messagesTypedBeforeTheFirstConnectionAreQueuedAndSentInOrderOnce() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        let join = m.handle(.effect(.joinChannel("general")), now: t0)
        let one = m.handle(.effect(.send(message("1", author: "dave"))), now: t0)
        _ = m.handle(.setUpFailed("down"), now: t0)
        let two = m.handle(.effect(.send(message("2", author: "dave"))), now: t0)
        #expect(produced(join).isEmpty && produced(one).isEmpty && produced(two).isEmpty)
        #expect(one.actions.isEmpty, "no failure: the message stays pending")
        #expect(m.queued.count == 3)
        _ = m.handle(.retryDue, now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 0]), now: t0)
        let out = m.handle(.assigned, now: t0)
        let sent = produced(out)
        #expect(sent.count == 3)
        guard sent.count == 3, case .control(let e) = sent[0], case .message(let a) = sent[1], case .message(let b) = sent[2] else { return }
        #expect(e.type == .join && a.id == "1" && b.id == "2")
        #expect(m.queued.isEmpty)
        #expect(produced(m.handle(.connection(.up), now: t0)).isEmpty, "sent once")
    }

    @Test func messagesTypedWhileDownWaitForTheBroker() {
        var m = liveMachine()
        _ = m.handle(.connection(.down(reason: "gone")), now: t0)
        let typed = m.handle(.effect(.send(message("3", author: "dave"))), now: t0)
        #expect(produced(typed).isEmpty && typed.actions.isEmpty)
        let up = m.handle(.connection(.up), now: t0)
        #expect(produced(up) == [.message(message("3", author: "dave"))])
    }

    @Test func deliveryReportsBecomeDeliveryActions() {
        var m = liveMachine()
        let sent = m.handle(.effect(.send(message("4", author: "dave"))), now: t0)
        #expect(produced(sent).count == 1)
        _ = m.handle(.produced(id: "4", token: 9), now: t0)
        let report = DeliveryReport(token: 9, topic: "chat", partition: 0, offset: 1, result: .acknowledged)
        #expect(m.handle(.delivery([report]), now: t0).actions == [.delivery(id: "4", result: .delivered)])
        #expect(m.handle(.delivery([report]), now: t0).actions.isEmpty)
        #expect(m.handle(.produceFailed(id: "5", reason: "queue full"), now: t0).actions == [.delivery(id: "5", result: .failed("queue full"))])
    }

    @Test func anInvalidMessageFailsAtOnce() {
        var m = liveMachine()
        let out = m.handle(.effect(.send(message("6", "", author: "dave"))), now: t0)
        #expect(produced(out).isEmpty)
        #expect(out.actions.count == 1)
    }

    @Test func stopSendsLeavesForJoinedChannels() {
        var m = liveMachine()
        _ = m.handle(.effect(.joinChannel("general")), now: t0)
        let out = m.handle(.stop, now: t0)
        #expect(produced(out).count == 1)
        #expect(m.phase == .stopped)
        #expect(m.handle(.setUpFailed("late"), now: t0).commands.isEmpty)
    }

    @Test func stoppingWithQueuedMessagesDropsThemWithALogLineNamingThem() {
        var m = liveMachine()
        _ = m.handle(.effect(.joinChannel("general")), now: t0)
        _ = m.handle(.connection(.down(reason: "gone")), now: t0)
        _ = m.handle(.effect(.send(message("7", author: "dave"))), now: t0)
        _ = m.handle(.effect(.send(message("8", author: "dave"))), now: t0)
        _ = m.handle(.effect(.leaveChannel("general")), now: t0)
        #expect(m.queued.count == 3)
        let out = m.handle(.stop, now: t0)
        #expect(produced(out).isEmpty, "nothing can be sent while down")
        #expect(out.commands == [.log("quit with 2 unsent messages dropped: 7, 8")])
        #expect(m.queued.isEmpty)
        #expect(produced(m.handle(.connection(.up), now: t0)).isEmpty, "not sent after the stop")
    }
}

@Suite("LiveChatMachine: history, order and duplicates")
struct LiveChatMachineRecordTests {
    @Test func startUpRecordsAreHistoryAndAnswerWaitingRequests() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.effect(.requestHistory(channel: "general", before: nil)), now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 2], controlEnds: [0: 0]), now: t0)
        _ = m.handle(.assigned, now: t0)
        let first = m.handle(.records([record(message("a"), offset: 0)]), now: t0)
        #expect(first.actions.isEmpty)
        let second = m.handle(.records([record(message("b"), offset: 1)]), now: t0)
        #expect(second.actions == [.historyLoaded(channel: "general", messages: [message("a"), message("b")])])
        #expect(incomingIDs(m.handle(.records([record(message("c"), offset: 2)]), now: t0)) == ["c"])
    }

    @Test func startUpReadingThatStallsIsEndedSoHistoryIsAnswered() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.effect(.requestHistory(channel: "general", before: nil)), now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 3], controlEnds: [0: 0]), now: t0)
        _ = m.handle(.assigned, now: t0)
        // Offset 2 holds no record (a transaction marker): offset 1 is the last one that comes.
        _ = m.handle(.records([record(message("a"), offset: 0), record(message("b"), offset: 1)]), now: t0 + .seconds(1))
        #expect(m.handle(.tick, now: t0 + .seconds(30)).actions.isEmpty, "30 s since the last record, not since assigned")
        let out = m.handle(.tick, now: t0 + .seconds(31))
        #expect(out.actions == [.historyLoaded(channel: "general", messages: [message("a"), message("b")])])
        #expect(m.historyReady)
        #expect(incomingIDs(m.handle(.records([record(message("c"), offset: 3)]), now: t0 + .seconds(32))) == ["c"])
    }

    @Test func startUpReadingDoesNotStallWhileTheBrokerIsDown() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 3], controlEnds: [0: 0]), now: t0)
        _ = m.handle(.assigned, now: t0)
        _ = m.handle(.connection(.down(reason: "gone")), now: t0)
        _ = m.handle(.tick, now: t0 + .seconds(60))
        _ = m.handle(.connection(.up), now: t0 + .seconds(61))
        _ = m.handle(.tick, now: t0 + .seconds(62))
        #expect(!m.historyReady)
    }

    @Test func myLatestBlockFromThePastIsShownOnceCaughtUp() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 3]), now: t0)
        _ = m.handle(.assigned, now: t0)
        let block = ControlEvent.blocked(user: "dave", warnings: 3, limit: 3, timestamp: when)
        let out = m.handle(.records([
            record(ControlEvent.blocked(user: "dave", timestamp: when), offset: 0),
            record(ControlEvent.unblocked(user: "dave", timestamp: when), offset: 1),
            record(block, offset: 2),
        ]), now: t0)
        #expect(out.actions == [.control(block)])
    }

    @Test func withNothingAboutMeInTheControlTailTheRESTAPIIsAsked() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 5_000]), now: t0)
        _ = m.handle(.assigned, now: t0)
        let caughtUp = m.handle(.records([record(ControlEvent.blocked(user: "bob", timestamp: when), offset: 4_999)]), now: t0)
        #expect(caughtUp.commands == [.fetchMyStanding])
        #expect(caughtUp.actions.isEmpty)
        let answer = m.handle(.standingFetched(blocked: true, warnings: 3), now: t0)
        guard case .control(let event) = answer.actions.first else { Issue.record("no block: \(answer)"); return }
        #expect(event.type == .blocked && event.user == "dave" && event.warnings == 3)
        #expect(answer.actions.count == 1)
    }

    @Test func theRESTAPIIsNotAskedWhenTheTailKnowsAndNotBelievedWhenKafkaSaidMoreSince() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 2]), now: t0)
        _ = m.handle(.assigned, now: t0)
        let out = m.handle(.records([record(ControlEvent.blocked(user: "dave", timestamp: when), offset: 0),
                                     record(ControlEvent.unblocked(user: "dave", timestamp: when), offset: 1)]), now: t0)
        #expect(out.commands.isEmpty && out.actions.isEmpty, "unblocked last: nothing to show, nothing to ask")

        var n = LiveChatMachine(user: "dave", topics: topics)
        _ = n.handle(.start, now: t0)
        _ = n.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 1]), now: t0)
        _ = n.handle(.assigned, now: t0)
        #expect(n.handle(.records([record(ControlEvent.join(user: "x", channel: "general", timestamp: when), offset: 0)]), now: t0).commands == [.fetchMyStanding])
        let unblock = ControlEvent.unblocked(user: "dave", timestamp: when)
        #expect(n.handle(.records([record(unblock, offset: 1)]), now: t0).actions == [.control(unblock)])
        #expect(n.handle(.standingFetched(blocked: true, warnings: 3), now: t0).actions.isEmpty, "the store lags Kafka")
    }

    @Test func aReplayedMessageIsShownOnce() {
        var m = liveMachine()
        #expect(incomingIDs(m.handle(.records([record(message("x"), offset: 0)]), now: t0)) == ["x"])
        #expect(incomingIDs(m.handle(.records([record(message("x"), offset: 1)]), now: t0)).isEmpty)
    }

    @Test func theReducerAlsoShowsAReplayedMessageOnce() {
        var state = TUIState(me: "dave", channels: ["general"])
        _ = state.reduce(.incoming(message("x")))
        _ = state.reduce(.incoming(message("x")))
        let lines = state.channels.first { $0.name == "general" }!.lines.filter { $0.id == "x" }
        #expect(lines.count == 1)
    }

    @Test func aBlockThatArrivesBeforeItsMessageIsShownAfterIt() {
        var m = liveMachine()
        let block = ControlEvent.blocked(user: "bob", warnings: 3, limit: 3, channel: "general", messageId: "m3", timestamp: when)
        let early = m.handle(.records([record(block, offset: 0)]), now: t0)
        #expect(early.actions.isEmpty)
        #expect(m.heldCount == 1)
        let joinAfter = ControlEvent.join(user: "carol", channel: "general", timestamp: when)
        #expect(m.handle(.records([record(joinAfter, offset: 1)]), now: t0).actions.isEmpty, "later events keep their place")
        let out = m.handle(.records([record(message("m3", "f***"), offset: 0)]), now: t0 + .milliseconds(100))
        #expect(out.actions == [.incoming(message("m3", "f***")), .control(block), .control(joinAfter)])
    }

    @Test func aHeldEventIsShownAfterTheTimeoutWhenItsMessageNeverComes() {
        var m = liveMachine()
        let warning = ControlEvent.warning(user: "dave", warnings: 1, limit: 3, channel: "general", messageId: "gone", timestamp: when)
        #expect(m.handle(.records([record(warning, offset: 0)]), now: t0).actions.isEmpty)
        #expect(m.handle(.tick, now: t0 + .seconds(1)).actions.isEmpty)
        #expect(m.handle(.tick, now: t0 + .seconds(2)).actions == [.control(warning)])
    }

    @Test func anEventWhoseMessageWasAlreadyShownIsNotHeld() {
        var m = liveMachine()
        _ = m.handle(.records([record(message("m1"), offset: 0)]), now: t0)
        let warning = ControlEvent.warning(user: "bob", warnings: 1, limit: 3, channel: "general", messageId: "m1", timestamp: when)
        #expect(m.handle(.records([record(warning, offset: 0)]), now: t0).actions == [.control(warning)])
        let rejected = ControlEvent.rejected(user: "dave", channel: "general", messageId: "never-forwarded", timestamp: when)
        #expect(m.handle(.records([record(rejected, offset: 1)]), now: t0).actions == [.control(rejected)])
    }

    @Test func unreadableRecordsAreSkippedWithALogLine() {
        var m = liveMachine()
        let bad = ConsumedMessage(topic: topics.controlled, partition: 0, offset: 4, key: nil, value: Array("{{{".utf8), timestampMilliseconds: nil)
        let out = m.handle(.records([bad, record(message("ok"), offset: 5)]), now: t0)
        #expect(incomingIDs(out) == ["ok"])
        #expect(out.commands.contains { if case .log(let l) = $0 { l.hasPrefix("skipped chat_controlled[0]@4") } else { false } })
    }
}

@Suite("LiveChatMachine: illegal transitions")
struct LiveChatMachineIllegalTests {
    @Test func anAssignmentNobodyAskedForTraps() async {
        await #expect(processExitsWith: .failure) {
            var m = LiveChatMachine(user: "dave", topics: TopicNames())
            _ = m.handle(.assigned, now: .now)
        }
    }

    @Test func startingTwiceTraps() async {
        await #expect(processExitsWith: .failure) {
            var m = LiveChatMachine(user: "dave", topics: TopicNames())
            _ = m.handle(.start, now: .now)
            _ = m.handle(.start, now: .now)
        }
    }
}

private func inboxRecord(_ m: ChatMessage, user: String = "dave", offset: Int64) -> ConsumedMessage {
    ConsumedMessage(topic: topics.inbox(user), partition: 0, offset: offset, key: Array(m.channel.utf8),
                    value: Array(m.jsonData()), timestampMilliseconds: nil)
}

@Suite("LiveChatMachine: my inbox (private DMs)")
struct LiveChatMachineInboxTests {
    @Test func anExistingInboxIsAssignedWithTheOtherTopicsFromItsTail() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        let out = m.handle(.setUpSucceeded(controlledEnds: [0: 10], controlEnds: [0: 0], inboxEnds: [0: 2_500]), now: t0)
        #expect(out.commands == [.assign([
            TopicPartitionOffset(topic: "chat_controlled", partition: 0, offset: .offset(0)),
            TopicPartitionOffset(topic: "chat_inbox.dave", partition: 0, offset: .offset(2_200)),
            TopicPartitionOffset(topic: "chat_control", partition: 0, offset: .offset(0)),
        ])])
        _ = m.handle(.assigned, now: t0)
        #expect(m.inboxPhase == .assigned)
        #expect(!m.handle(.tick, now: t0 + .seconds(60)).commands.contains(.checkInbox), "nothing to look for")
    }

    @Test func startUpDMsFromTheInboxAreHistoryAndLaterOnesAreLive() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        _ = m.handle(.effect(.requestHistory(channel: "@bob+dave", before: nil)), now: t0)
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 0], inboxEnds: [0: 1]), now: t0)
        _ = m.handle(.assigned, now: t0)
        #expect(!m.historyReady, "the inbox's tail is start-up history too")
        let dm = message("d1", "psst", channel: "@bob+dave")
        let out = m.handle(.records([inboxRecord(dm, offset: 0)]), now: t0)
        #expect(out.actions == [.historyLoaded(channel: "@bob+dave", messages: [dm])])
        #expect(m.historyReady)
        #expect(incomingIDs(m.handle(.records([inboxRecord(message("d2", channel: "@bob+dave"), offset: 1)]), now: t0)) == ["d2"])
    }

    @Test func aMissingInboxIsLookedForEveryFewSecondsAndAddedFromItsBeginningOnceItExists() {
        var m = liveMachine()
        #expect(m.inboxPhase == .missing(nextCheck: t0 + LiveChatMachine.inboxPollInterval))
        #expect(!m.handle(.tick, now: t0 + .seconds(1)).commands.contains(.checkInbox))
        #expect(m.handle(.tick, now: t0 + .seconds(3)).commands == [.checkInbox])
        #expect(m.handle(.tick, now: t0 + .seconds(4)).commands.isEmpty, "one look at a time")
        #expect(m.handle(.inboxChecked(nil), now: t0 + .seconds(4)).commands.isEmpty)
        #expect(m.inboxPhase == .missing(nextCheck: t0 + .seconds(7)))
        #expect(m.handle(.tick, now: t0 + .seconds(7)).commands == [.checkInbox])
        let found = m.handle(.inboxChecked([0: 1]), now: t0 + .seconds(7))
        #expect(found.commands == [.addToAssignment([TopicPartitionOffset(topic: "chat_inbox.dave", partition: 0, offset: .beginning)])])
        #expect(m.handle(.inboxAdded, now: t0 + .seconds(7)).commands.isEmpty)
        #expect(m.inboxPhase == .assigned)
        // It did not exist at start-up: what it holds is new, shown at once.
        let dm = message("d1", "are you there?", channel: "@bob+dave")
        #expect(incomingIDs(m.handle(.records([inboxRecord(dm, offset: 0)]), now: t0 + .seconds(8))) == ["d1"])
        #expect(!m.handle(.tick, now: t0 + .seconds(60)).commands.contains(.checkInbox))
    }

    @Test func sendingADMLooksForTheInboxSoon() {
        var m = liveMachine()
        _ = m.handle(.effect(.send(message("s1", "hi", author: "dave", channel: "general"))), now: t0)
        #expect(m.inboxPhase == .missing(nextCheck: t0 + .seconds(3)), "a public message changes nothing")
        _ = m.handle(.effect(.send(message("s2", "hi", author: "dave", channel: "@bob+dave"))), now: t0 + .milliseconds(500))
        #expect(m.inboxPhase == .missing(nextCheck: t0 + .milliseconds(1_500)))
        #expect(m.handle(.tick, now: t0 + .milliseconds(1_500)).commands == [.checkInbox])
    }

    @Test func aFailedAddIsRetriedLater() {
        var m = liveMachine()
        _ = m.handle(.tick, now: t0 + .seconds(3))
        _ = m.handle(.inboxChecked([0: 0]), now: t0 + .seconds(3))
        let failed = m.handle(.inboxAddFailed("broker said no"), now: t0 + .seconds(3))
        #expect(failed.commands.contains { if case .log(let line) = $0 { line.contains("chat_inbox.dave") } else { false } })
        #expect(m.inboxPhase == .missing(nextCheck: t0 + .seconds(6)))
        #expect(m.handle(.tick, now: t0 + .seconds(6)).commands == [.checkInbox])
    }

    @Test func theInboxIsNotLookedForWhileDisconnectedOrBeforeTheAssignment() {
        var m = LiveChatMachine(user: "dave", topics: topics)
        _ = m.handle(.start, now: t0)
        #expect(!m.handle(.tick, now: t0 + .seconds(10)).commands.contains(.checkInbox))
        _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 0]), now: t0)
        _ = m.handle(.assigned, now: t0)
        _ = m.handle(.connection(.down(reason: "gone")), now: t0)
        #expect(!m.handle(.tick, now: t0 + .seconds(10)).commands.contains(.checkInbox))
        _ = m.handle(.connection(.up), now: t0 + .seconds(10))
        #expect(m.handle(.tick, now: t0 + .seconds(10)).commands == [.checkInbox])
    }

    @Test func aRecordInMyInboxThatIsNotMyDMIsSkipped() {
        var m = liveMachine()
        _ = m.handle(.tick, now: t0 + .seconds(3))
        _ = m.handle(.inboxChecked([0: 2]), now: t0 + .seconds(3))
        _ = m.handle(.inboxAdded, now: t0 + .seconds(3))
        let out = m.handle(.records([inboxRecord(message("x1", channel: "@alice+bob"), offset: 0),
                                     inboxRecord(message("x2", channel: "general"), offset: 1),
                                     inboxRecord(message("x3", author: "eve", channel: "@dave+eve"), offset: 2)]), now: t0 + .seconds(4))
        #expect(incomingIDs(out) == ["x3"])
        #expect(out.commands.filter { if case .log = $0 { true } else { false } }.count == 2)
    }
}

@Suite("LiveChatMachine: inbox transitions nobody asked for")
struct LiveChatMachineInboxIllegalTests {
    @Test func anInboxAnswerWithoutALookTraps() async {
        await #expect(processExitsWith: .failure) {
            var m = LiveChatMachine(user: "dave", topics: TopicNames())
            _ = m.handle(.start, now: .now)
            _ = m.handle(.inboxChecked(nil), now: .now)
        }
    }

    @Test func anInboxAddedWithoutAnAddTraps() async {
        await #expect(processExitsWith: .failure) {
            var m = LiveChatMachine(user: "dave", topics: TopicNames())
            _ = m.handle(.start, now: .now)
            _ = m.handle(.setUpSucceeded(controlledEnds: [0: 0], controlEnds: [0: 0]), now: .now)
            _ = m.handle(.assigned, now: .now)
            _ = m.handle(.inboxAdded, now: .now)
        }
    }
}
