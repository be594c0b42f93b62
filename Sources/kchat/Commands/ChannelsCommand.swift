import ArgumentParser
import ChatKafka
import ChatModel
import Foundation

struct ChannelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels", abstract: "List, create or delete channels.",
        subcommands: [List.self, Create.self, Delete.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List channels.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await withChat(connection) { chat in
                for channel in try await ChannelDirectory(connection: chat).list() {
                    print(channel.name)
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a channel.")
        @OptionGroup var connection: ConnectionOptions
        @Option(name: .shortAndLong, help: "Creator (default: $USER).")
        var user: String = ProcessInfo.processInfo.environment["USER"] ?? "anonymous"
        @Argument var name: String

        func run() async throws {
            try await withChat(connection) { chat in
                let directory = ChannelDirectory(connection: chat)
                if try await directory.list().contains(where: { $0.name == ChannelName.normalize(name) }) {
                    throw CommandFailure("channel '\(ChannelName.normalize(name))' already exists")
                }
                try await directory.create(name, by: user)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a channel.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var name: String

        func run() async throws {
            try await withChat(connection) { chat in
                let directory = ChannelDirectory(connection: chat)
                guard try await directory.list().contains(where: { $0.name == ChannelName.normalize(name) }) else {
                    throw CommandFailure("no channel '\(ChannelName.normalize(name))'")
                }
                try await directory.delete(name)
            }
        }
    }
}

/// Opens a connection (creating missing topics), runs `body`, and always shuts down.
func withChat(_ options: ConnectionOptions, _ body: (ChatConnection) async throws -> Void) async throws {
    let chat = try ChatConnection(try options.configuration(), logger: .quiet)
    do {
        try await chat.ensureTopics()
        try await body(chat)
    } catch let failure as CommandFailure {
        await chat.shutdown()
        throw failure
    } catch {
        await chat.shutdown()
        throw CommandFailure("\(error)")
    }
    await chat.shutdown()
}
