import ArgumentParser
import ChatKafka
import ChatModel
import Foundation

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send one message to a channel and wait for the broker's acknowledgement.")

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .shortAndLong, help: "Channel.")
    var channel: String = "general"

    @Option(name: .shortAndLong, help: "Author (default: $USER).")
    var user: String = ProcessInfo.processInfo.environment["USER"] ?? "anonymous"

    @Argument(help: "The message text (joined with spaces).")
    var text: [String]

    func run() async throws {
        let message = ChatMessage(channel: ChannelName.normalize(channel), author: user, data: text.joined(separator: " "))
        do {
            try message.validate()
        } catch {
            throw CommandFailure("invalid message: \(error)")
        }
        let chat = try ChatConnection(try connection.configuration(clientID: "kchat-send"), logger: .quiet)
        do {
            let report = try await chat.send(message)
            print(message.id)
            if let offset = report.offset {
                FileHandle.standardError.write(Data("sent to \(report.topic)[\(report.partition)]@\(offset)\n".utf8))
            }
            await chat.shutdown()
        } catch {
            await chat.shutdown()
            throw CommandFailure("send failed: \(error)")
        }
    }
}
