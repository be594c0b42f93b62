import ChatModel
import ChatTUI
import Testing

@Suite struct QuitTests {
    @Test func quitWithNothingUndeliveredQuitsAtOnce() {
        var s = makeState()
        #expect(s.submit("/quit") == [.quit])
        var t = makeState()
        #expect(t.key(.ctrl("c")) == [.quit])
    }

    @Test func quitWithQueuedMessagesAsksFirstAndQuitsOnTheSecond() {
        var s = makeState(cols: 120)
        s.send(.connection(.disconnected("broker down")))
        s.submit("one")
        s.submit("two")
        #expect(s.submit("/quit").isEmpty, "the first /quit does not drop them")
        #expect(s.screen().contains { $0.contains("2 messages are not delivered yet (disconnected: broker down): /quit again") })
        #expect(s.submit("/quit") == [.quit])
    }

    @Test func ctrlCAsksTheSameWay() {
        var s = makeState(cols: 120)
        s.send(.connection(.disconnected("broker down")))
        s.submit("one")
        #expect(s.key(.ctrl("c")).isEmpty)
        #expect(s.screen().contains { $0.contains("1 message is not delivered yet") })
        #expect(s.key(.ctrl("c")) == [.quit])
    }

    @Test func deliveredMessagesNoLongerHoldTheQuit() {
        var s = makeState()
        s.send(.connection(.disconnected("broker down")))
        let sent = s.submit("one")
        guard case .send(let message)? = sent.first else {
            Issue.record("no send effect")
            return
        }
        s.send(.connection(.connected()))
        s.send(.delivery(id: message.id, result: .delivered))
        #expect(s.submit("/quit") == [.quit])
    }

    @Test func typingAnotherMessageAfterTheQuestionAsksAgain() {
        var s = makeState()
        s.send(.connection(.disconnected("broker down")))
        s.submit("one")
        #expect(s.submit("/quit").isEmpty)
        s.submit("two")
        #expect(s.submit("/quit").isEmpty, "a new message: the earlier answer no longer holds")
        #expect(s.submit("/quit") == [.quit])
    }
}
