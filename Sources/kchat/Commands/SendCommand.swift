import ArgumentParser
import ChatKafka
import ChatModel
import Foundation
import KafkaClient

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send one message to a channel and wait for the broker's acknowledgement.")

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var account: AccountOptions

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
        let configuration = try await account.configuration(connection, user: user, clientID: "kchat-send")
        let chat = try ChatConnection(configuration, logger: .quiet)
        do {
            let report = try await chat.send(message)
            print(message.id)
            if let offset = report.offset {
                FileHandle.standardError.write(Data("sent to \(report.topic)[\(report.partition)]@\(offset)\n".utf8))
            }
            await chat.shutdown()
        } catch {
            await chat.shutdown()
            // A broker that requires SASL closes connections that do not log in: librdkafka
            // only sees them drop, and the message times out.
            let hint = configuration.token == nil && (error as? KafkaError)?.code == .timedOut
                ? " (not logged in: if the broker requires authentication, give --api and log in, or see `kchat login`)" : ""
            throw CommandFailure("send failed: \(error)\(hint)")
        }
    }
}
