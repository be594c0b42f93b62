/// `ChatStats` as plain text lines (for `kchat stats` and the chat's `/stats`).
extension ChatStats {
    public var textLines: [String] {
        var lines = [
            "messages \(totals.messages), users \(totals.users), channels \(totals.channels), "
                + "warnings \(totals.warnings), blocks \(totals.blocks) (blocked now \(totals.blockedUsers)), rejected \(totals.rejected)",
        ]
        func section(_ title: String, _ rows: [String]) {
            guard !rows.isEmpty else { return }
            lines.append(title)
            lines += rows.map { "  " + $0 }
        }
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        section("messages per user:", messagesPerUser.map { "\(pad($0.name, 24)) \($0.count)" })
        section("messages per channel:", messagesPerChannel.map { "\(pad($0.name, 24)) \($0.count)" })
        section("warnings per user:", warningsPerUser.map { "\(pad($0.name, 24)) \($0.count)" })
        section("blocked now:", blockedUsers.isEmpty ? [] : [blockedUsers.joined(separator: ", ")])
        section("most active hours (UTC):", activeHours.prefix(5).map { "\($0.hour < 10 ? "0" : "")\($0.hour):00  \($0.count)" })
        section("who talks to whom (direct messages):", directPairs.map { "\(pad("\($0.a) <-> \($0.b)", 30)) \($0.count)" })
        section("who talks to whom (shared channels):", sharedChannels.map { "\(pad("\($0.a) <-> \($0.b)", 30)) \($0.count)" })
        return lines
    }
}
