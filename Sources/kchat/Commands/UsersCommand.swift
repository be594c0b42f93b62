import ArgumentParser
import ChatKafka
import ChatModel
import Foundation

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Block or unblock a user.", subcommands: [Block.self, Unblock.self])

    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Block a user (sends a 'blocked' control event; admins only on a hub with authentication).")
        @OptionGroup var client: ClientOptions
        @Argument var name: String

        func run() async throws {
            try await client.withChat(action: "blocking a user (writing chat_control)") { chat in
                try await chat.publish(.blocked(user: name, reason: "blocked by an operator"))
            }
        }
    }

    struct Unblock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unblock a user (sends an 'unblocked' control event; admins only on a hub with authentication).")
        @OptionGroup var client: ClientOptions
        @Argument var name: String

        func run() async throws {
            try await client.withChat(action: "unblocking a user (writing chat_control)") { chat in
                try await chat.publish(.unblocked(user: name, reason: "unblocked by an operator"))
            }
        }
    }
}
