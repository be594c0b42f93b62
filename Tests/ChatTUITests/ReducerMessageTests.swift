import ChatModel
import ChatTUI
import Foundation
import Testing

@Suite struct ReducerMessageTests {
    @Test func ownMessagePendingConfirmedThenEchoReplaces() throws {
        var s = makeState()
        let sent = try #require(s.submit("hello world").sentMessages.first)
        #expect(sent.channel == "general" && sent.author == "alice" && sent.timestamp == t0)
        #expect(s.pending[sent.id] == .pending)
        #expect(s.input.text.isEmpty)
        #expect(s.screen()[0].hasSuffix("alice: hello world …"))
        s.send(.delivery(id: sent.id, result: .delivered))
        #expect(s.pending[sent.id] == .confirmed)
        #expect(s.screen()[0].hasSuffix("alice: hello world"))
        // The moderated copy comes back with the same id: replaced, not duplicated.
        s.send(.incoming(sent.moderated(data: "hello *****", masked: 5)))
        #expect(s.texts("general") == ["hello *****"])
        #expect(s.pending[sent.id] == nil)
        s.send(.incoming(sent))  // a replayed duplicate changes nothing
        #expect(s.texts("general") == ["hello *****"])
    }

    @Test func failedDeliveryIsMarked() throws {
        var s = makeState(cols: 100)
        let sent = try #require(s.submit("doomed").sentMessages.first)
        s.send(.delivery(id: sent.id, result: .failed("Local: Message timed out")))
        #expect(s.pending[sent.id] == .failed("Local: Message timed out"))
        #expect(s.screen()[0].hasSuffix("alice: doomed ✗ failed: Local: Message timed out"))
    }

    @Test func tooLargeMessageIsNotSentAndInputIsKept() {
        var s = makeState()
        let big = String(repeating: "x", count: 4097)
        s.input.set(big)
        #expect(s.key(.enter).isEmpty)
        #expect(s.input.text == big)
        #expect(s.texts("general").last == "Not sent: message text is 4097 bytes, the limit is 4096 bytes")
        s.input.set(String(repeating: "x", count: 4096))
        #expect(s.key(.enter).sentMessages.count == 1)
    }

    @Test func warningBannerUntilEsc() {
        var s = makeState()
        #expect(s.send(.control(.warning(user: "alice", warnings: 2, limit: 3, channel: "general",
                                         reason: "language", timestamp: t0))) == [.bell])
        #expect(s.banner == .warning("Warning 2/3: language"))
        #expect(s.screen()[0].hasPrefix(" Warning 2/3: language"))
        s.type("still typing")
        #expect(s.input.text == "still typing")
        s.key(.esc)
        #expect(s.banner == nil)
        #expect(!s.screen()[0].contains("Warning"))
        // Warnings for others are private.
        s.send(.control(.warning(user: "bob", warnings: 1, limit: 3, timestamp: t0)))
        #expect(s.banner == nil)
    }

    @Test func blockDisablesInputUntilUnblocked() {
        var s = makeState()
        s.send(.control(.blocked(user: "alice", warnings: 3, limit: 3, timestamp: t0)))
        #expect(s.banner == .blocked("too many warnings (3/3)"))
        #expect(s.isInputDisabled)
        s.key(.esc)  // Esc does not dismiss a block
        #expect(s.isInputDisabled)
        s.type("hello")
        #expect(s.input.text.isEmpty)
        let grid = render(s, size: s.size)
        #expect(grid.lines[0] == " You are blocked: too many warnings (3/3)")
        #expect(grid[0, 5].style.bg == TermColor.red)
        #expect(grid.lines[9] == "> input disabled (you are blocked); /quit to exit")
        s.type("/quit")  // commands still work
        #expect(s.key(.enter) == [.quit])
        s.send(.control(.unblocked(user: "alice", timestamp: t0)))
        #expect(!s.isInputDisabled)
        #expect(s.texts("general").last == "You have been unblocked")
        #expect(s.submit("back").sentMessages.count == 1)
    }

    @Test func rejectedOwnMessageFailsAndBlocks() throws {
        var s = makeState()
        let sent = try #require(s.submit("hi").sentMessages.first)
        s.send(.control(.rejected(user: "alice", channel: "general", messageId: sent.id, timestamp: t0)))
        #expect(s.pending[sent.id] == .failed("rejected: you are blocked"))
        #expect(s.isInputDisabled)
    }

    @Test func aRejectionForTheSignatureFailsTheMessageWithoutBlocking() throws {
        var s = makeState()
        let sent = try #require(s.submit("hi").sentMessages.first)
        s.send(.control(.rejected(user: "alice", channel: "general", messageId: sent.id, reason: "token expired", timestamp: t0)))
        #expect(s.pending[sent.id] == .failed("token expired"))
        #expect(!s.isInputDisabled)
        // Someone else's message claiming to be mine is rejected in my name: it changes nothing here.
        s.send(.control(.rejected(user: "alice", channel: "general", messageId: "forged",
                                  reason: "unsigned message (no kchat-token header)", timestamp: t0)))
        #expect(!s.isInputDisabled)
        s.send(.control(.rejected(user: "alice", channel: "general", messageId: "late",
                                  reason: ControlEvent.blockedReason(of: "alice"), timestamp: t0)))
        #expect(s.isInputDisabled, "a rejection because I am blocked still blocks")
    }

    @Test func othersEventsAreInlineSystemLines() {
        var s = makeState()
        s.send(.control(.join(user: "bob", channel: "general", timestamp: t0)))
        s.send(.control(.leave(user: "carol", channel: "random", timestamp: t0)))
        s.send(.control(.blocked(user: "mallory", channel: "general", timestamp: t0)))
        s.send(.control(.unblocked(user: "mallory", timestamp: t0)))
        s.send(.control(.join(user: "eve", channel: "elsewhere", timestamp: t0)))  // not joined: ignored
        #expect(s.texts("general") == ["bob joined #general", "mallory has been blocked", "mallory has been unblocked"])
        #expect(s.texts("random") == ["carol left #random"])
        #expect(s.channel("general")?.lines.map(\.kind) == [.system(.join), .system(.block), .system(.info)])
        #expect(s.banner == nil)
    }

    @Test func disconnectedStatusShowsQueuedMessages() {
        var s = makeState(cols: 80)
        s.send(.connection(.disconnected("broker down")))
        s.submit("queued 1")
        s.submit("queued 2")
        #expect(s.screen()[8] == "[alice] #general | localhost:9092 | disconnected: broker down (2 queued)")
        s.send(.connection(.connected()))
        #expect(s.screen()[8] == "[alice] #general | localhost:9092 | connected")
    }

    @Test func historyMergesOlderMessagesWithoutDuplicates() {
        var s = makeState()
        s.send(.incoming(msg("3", "general", "bob", "live", at: t0)))
        // Newest first, as the REST API answers; "3" overlaps with the live message.
        s.send(.historyLoaded(channel: "general", messages: [
            msg("3", "general", "bob", "live", at: t0),
            msg("2", "general", "carol", "older", at: t0 - 60),
            msg("1", "general", "dave", "oldest", at: t0 - 120),
        ]))
        #expect(s.texts("general") == ["oldest", "older", "live"])
        #expect(s.channel("general")?.historyLoaded == true)
        #expect(s.channel("general")?.historyExhausted == false)
        #expect(s.channel("general")?.unread == 0)
        // A history message newer than the first live line is merged in time order.
        s.send(.historyLoaded(channel: "general", messages: [msg("2b", "general", "erin", "between", at: t0 - 30)]))
        #expect(s.texts("general") == ["oldest", "older", "between", "live"])
        s.send(.historyLoaded(channel: "general", messages: []))
        #expect(s.channel("general")?.historyExhausted == true)
        s.type("er")
        s.key(.tab)
        #expect(s.input.text == "erin: ")
    }
}
