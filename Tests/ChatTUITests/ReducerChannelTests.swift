import ChatModel
import ChatTUI
import Testing

@Suite struct ReducerChannelTests {
    @Test func startJoinsAndRequestsHistory() {
        var s = makeState(channels: ["general", "@alice+bob"])
        #expect(s.send(.start) == [.joinChannel("general"),
                                   .requestHistory(channel: "general", before: nil),
                                   .requestHistory(channel: "@alice+bob", before: nil)])
        #expect(s.channels.allSatisfy { $0.historyRequested })
        #expect(s.key(.pageUp).isEmpty)  // no second request while the first is in flight
    }

    @Test func upDownSwitchChannelsAndResetUnread() {
        var s = makeState(channels: ["general", "random", "dev"])
        s.send(.incoming(msg("1", "random", "bob", "hi")))
        s.send(.incoming(msg("2", "random", "bob", "hi again")))
        s.send(.incoming(msg("3", "dev", "bob", "hey alice")))
        #expect(s.channel("random")?.unread == 2)
        #expect(s.channel("dev")?.mentioned == true)
        #expect(s.channel("general")?.unread == 0)
        s.key(.down)
        #expect(s.selected == 1)
        #expect(s.channel("random")?.unread == 0)
        s.key(.down)
        #expect(s.channel("dev")?.unread == 0)
        #expect(s.channel("dev")?.mentioned == false)
        s.key(.down)  // clamps at the end
        #expect(s.selected == 2)
        s.key(.up); s.key(.up); s.key(.up)
        #expect(s.selected == 0)
    }

    @Test func ownMessagesAndSelectedChannelDoNotCountUnread() {
        var s = makeState()
        s.send(.incoming(msg("1", "general", "bob", "hi")))
        s.send(.incoming(msg("2", "random", "alice", "from my other terminal")))
        #expect(s.channel("general")?.unread == 0)
        #expect(s.channel("random")?.unread == 0)
    }

    @Test func mentionsByNameOrAtNameRingAndHighlight() {
        var s = makeState()
        #expect(s.send(.incoming(msg("1", "random", "bob", "ping Alice!"))) == [.bell])
        #expect(s.channel("random")?.mentioned == true)
        #expect(s.channel("random")?.lines.last?.mentionsMe == true)
        s = makeState()
        #expect(s.send(.incoming(msg("2", "random", "bob", "cc @alice"))) == [.bell])
        #expect(s.channel("random")?.mentioned == true)
        s = makeState()
        #expect(s.send(.incoming(msg("3", "random", "bob", "malice and aliceson"))).isEmpty)
        #expect(s.channel("random")?.mentioned == false)
        // In the selected channel: bell, but no channel-list flag.
        #expect(s.send(.incoming(msg("4", "general", "bob", "alice?"))) == [.bell])
        #expect(s.channel("general")?.mentioned == false)
    }

    @Test func unknownPublicChannelIsIgnored() {
        var s = makeState()
        #expect(s.send(.incoming(msg("1", "secret", "bob", "hi"))).isEmpty)
        #expect(s.channels.count == 2)
    }

    @Test func joinCommand() {
        var s = makeState()
        #expect(s.submit("/join #Dev") == [.joinChannel("dev"), .requestHistory(channel: "dev", before: nil)])
        #expect(s.currentChannel?.name == "dev")
        #expect(s.input.text.isEmpty)
        #expect(s.submit("/join general").isEmpty)  // already joined: just switches
        #expect(s.currentChannel?.name == "general")
        #expect(s.submit("/join bad name!").isEmpty)
        #expect(s.texts("general").last?.hasPrefix("Cannot join: channel 'bad name!' may only contain") == true)
        #expect(s.submit("/join").isEmpty)
        #expect(s.texts("general").last == "Usage: /join #channel")
    }

    @Test func partCommand() {
        var s = makeState(channels: ["general", "random", "dev"])
        s.key(.down)
        #expect(s.submit("/part") == [.leaveChannel("random")])
        #expect(s.channels.map(\.name) == ["general", "dev"])
        #expect(s.currentChannel?.name == "general")
        #expect(s.submit("/part #dev") == [.leaveChannel("dev")])
        #expect(s.submit("/part").isEmpty)
        #expect(s.channels.map(\.name) == ["general"])
        #expect(s.texts("general").last == "Cannot leave the last channel (use /quit)")
    }

    @Test func msgCreatesSortedDirectChannel() throws {
        var s = makeState(me: "zoe")
        let effects = s.submit("/msg bob psst")
        #expect(s.currentChannel?.name == "@bob+zoe")
        #expect(effects.first == .requestHistory(channel: "@bob+zoe", before: nil))
        let sent = try #require(effects.sentMessages.first)
        #expect(sent.channel == "@bob+zoe")
        #expect(sent.author == "zoe")
        #expect(sent.data == "psst")
        #expect(s.screen().joined().contains("@bob"))
        #expect(s.submit("/msg zoe hi").isEmpty)
        #expect(s.texts("@bob+zoe").last == "You cannot message yourself")
    }

    @Test func incomingDirectMessageOpensChannel() {
        var s = makeState()
        #expect(s.send(.incoming(msg("1", "@alice+bob", "bob", "secret"))) == [.bell])
        #expect(s.channel("@alice+bob")?.unread == 1)
        #expect(s.channel("@alice+bob")?.mentioned == true)
        #expect(s.send(.incoming(msg("2", "@bob+carol", "bob", "not for me"))).isEmpty)
        #expect(s.channel("@bob+carol") == nil)
    }

    @Test func otherCommands() {
        var s = makeState()
        #expect(s.submit("/users") == [.requestUsers])
        #expect(s.submit("/stats") == [.requestStats])
        #expect(s.submit("/quit") == [.quit])
        #expect(s.submit("/help").isEmpty)
        #expect(s.texts("general").suffix(TUIState.helpLines.count) == ArraySlice(TUIState.helpLines))
        s.send(.info(["3 users online"]))
        #expect(s.texts("general").last == "3 users online")
        #expect(s.submit("/frobnicate now").isEmpty)
        #expect(s.texts("general").last == "Unknown command: /frobnicate (type /help)")
        #expect(s.currentChannel?.lines.last?.kind == .system(.error))
    }

    @Test func meAndDoubleSlash() {
        var s = makeState()
        #expect(s.submit("/me waves").sentMessages.first?.data == "/me waves")
        #expect(s.currentChannel?.lines.last?.kind == .action)
        #expect(s.currentChannel?.lines.last?.text == "waves")
        #expect(s.submit("//etc/passwd is a path").sentMessages.first?.data == "/etc/passwd is a path")
    }
}
