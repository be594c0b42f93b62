import ArgumentParser
import ChatKafka
import ChatModel
import Foundation
import KafkaClient
import Moderation

struct ReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Print a channel's moderated messages.",
        discussion: """
            Without --follow: everything the channel has, then exit. With --follow: new messages as they \
            arrive (add --from-beginning to print the history first). Text is printed with control and \
            escape characters made visible. A direct channel (@a+b) is read from the reader's own inbox \
            (chat_inbox.<user>, -u): DMs never travel on chat_controlled.
            """)

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var account: AccountOptions

    @Option(name: .shortAndLong, help: "Who you are (default: $USER); DMs are read from your inbox.")
    var user: String = ProcessInfo.processInfo.environment["USER"] ?? "anonymous"

    @Option(name: .shortAndLong, help: "Channel.")
    var channel: String = "general"

    @Flag(name: .shortAndLong, help: "Keep reading new messages.")
    var follow = false

    @Flag(help: "With --follow, print the history first.")
    var fromBeginning = false

    @Flag(help: "Print message JSON, one per line.")
    var json = false

    @Flag(help: "Read the raw (unmoderated) topic instead of the moderated copies.")
    var unmoderated = false

    func run() async throws {
        var moderators: Int?
        let configuration = try await account.configuration(connection, user: user, clientID: "kchat-read")
        try await withChat(configuration) { chat in  // creates the chat topics if this is a fresh cluster
            moderators = try? await chat.session.memberCount(ofGroup: ModeratorService.groupID) ?? 0
        }
        if !unmoderated, moderators == 0 {
            // Without a moderator, what is sent waits in the raw topic and nothing new shows here.
            FileHandle.standardError.write(Data("""
                kchat read: no moderator is running (group \(ModeratorService.groupID) has no members): new messages \
                wait unmoderated until one runs (kchat serve, or kchat moderator); --unmoderated reads them as sent

                """.utf8))
        }
        let channel = ChannelName.normalize(channel)
        let direct = ChannelName.isDirect(channel)
        if direct, !unmoderated, ChannelName.peer(of: channel, me: user) == nil {
            throw CommandFailure("\(channel) is not a DM of \(user): a user reads only their own DMs (-u)")
        }
        let topic = unmoderated ? configuration.topics.chat
            : direct ? configuration.topics.inbox(user) : configuration.topics.controlled
        let reader = try TopicReader(configuration, topic: topic, logger: .quiet)
        let json = self.json
        do {
            try await reader.read(from: follow && !fromBeginning ? .end : .beginning, follow: follow) { batch in
                var out = ""
                for record in batch where record.keyString == channel {
                    let message: ChatMessage
                    do {
                        message = try record.chatMessage()
                    } catch {
                        let reason = TerminalSanitizer.sanitize("\(error)")  // the reason quotes the record's bytes
                        FileHandle.standardError.write(Data("kchat read: skipped \(record.position): \(reason)\n".utf8))
                        continue
                    }
                    out += json ? message.jsonString + "\n" : Self.line(message)
                }
                if !out.isEmpty { FileHandle.standardOutput.write(Data(out.utf8)) }
            }
        } catch let error as KafkaError where direct && error.code == .unknownTopic && !follow {
            // No DM has reached this user yet: the moderator creates an inbox on the first one.
        } catch let error as KafkaError where error.code == .authorization {
            await reader.shutdown()
            throw CommandFailure("\(error.reason) (TOPIC_AUTHORIZATION_FAILED)"
                + (direct ? "; an inbox is readable only by its owner" : ""))
        } catch {
            await reader.shutdown()
            throw CommandFailure("read failed: \(error)")
        }
        await reader.shutdown()
    }

    static func line(_ message: ChatMessage) -> String {
        let time = Timestamp.format(message.timestamp)
        let text = TerminalSanitizer.sanitize(message.data)
        return "\(time) \(TerminalSanitizer.sanitize(message.author)): \(text)\n"
    }
}
