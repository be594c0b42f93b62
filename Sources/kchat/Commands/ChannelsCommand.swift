import ArgumentParser
import ChatKafka
import ChatModel
import Foundation
import KafkaClient

struct ChannelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels", abstract: "List, create or delete channels.",
        subcommands: [List.self, Create.self, Delete.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List channels.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await client.withChat { chat in
                for channel in try await ChannelDirectory(connection: chat).list() {
                    print(channel.name)
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a channel.")
        @OptionGroup var client: ClientOptions
        @Argument var name: String

        func run() async throws {
            try await client.withChat(action: "creating a channel (writing chat_channels)") { chat in
                let directory = ChannelDirectory(connection: chat)
                if try await directory.list().contains(where: { $0.name == ChannelName.normalize(name) }) {
                    throw CommandFailure("channel '\(ChannelName.normalize(name))' already exists")
                }
                try await directory.create(name, by: client.user)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a channel (admins only on a hub with authentication).")
        @OptionGroup var client: ClientOptions
        @Argument var name: String

        func run() async throws {
            try await client.withChat(action: "deleting a channel (writing chat_channels)") { chat in
                let directory = ChannelDirectory(connection: chat)
                guard try await directory.list().contains(where: { $0.name == ChannelName.normalize(name) }) else {
                    throw CommandFailure("no channel '\(ChannelName.normalize(name))'")
                }
                try await directory.delete(name)
            }
        }
    }
}

/// Opens a connection (creating missing topics), runs `body`, and always shuts down. A refusal
/// by the broker's ACLs is said in one line naming `action` (e.g. "writing chat_control").
func withChat(_ configuration: ChatKafkaConfiguration, action: String? = nil,
              _ body: (ChatConnection) async throws -> Void) async throws {
    let chat = try ChatConnection(configuration, logger: .quiet)
    do {
        try await chat.ensureTopics()
        try await body(chat)
    } catch let failure as CommandFailure {
        await chat.shutdown()
        throw failure
    } catch let error as KafkaError where error.code == .authorization {
        await chat.shutdown()
        let who = configuration.token.flatMap { try? $0().principal } ?? "an anonymous client"
        throw CommandFailure("refused by the broker: \(action.map { "\($0) " } ?? "")is not allowed for \(who) (\(error.reason); `kchat acls` lists who may do what)")
    } catch {
        await chat.shutdown()
        throw CommandFailure("\(error)")
    }
    await chat.shutdown()
}
