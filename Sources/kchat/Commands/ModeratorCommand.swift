import ArgumentParser
import ChatKafka
import Foundation
import Logging
import Moderation
import ProfanityFilter

struct ModeratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moderator",
        abstract: "Run the moderation service: chat -> chat_controlled, warnings and blocks -> chat_control.",
        discussion: "Instances share the work as consumer group '\(ModeratorService.groupID)'.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Word list file replacing the English + Spanish defaults (one entry per line, '*' suffix = stem).")
    var words: String?

    @Option(help: "Warnings before a user is blocked.")
    var warningLimit: Int = 3

    @Option(help: "Log level.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        var logger = Logger(label: "kchat.moderator")
        logger.logLevel = logLevel
        let list = try words.map { try ProfanityList(contentsOf: URL(fileURLWithPath: $0)) } ?? .default
        let engine = ModerationEngine(matcher: ProfanityMatcher(list: list), warningLimit: warningLimit)
        let service = ModeratorService(configuration: try connection.configuration(clientID: "kchat-moderator"),
                                       engine: engine, logger: logger)
        try await runUntilSignalled { try await service.run() }
    }
}

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Block or unblock a user.", subcommands: [Block.self, Unblock.self])

    struct Block: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Block a user (sends a 'blocked' control event; admins only on a hub with authentication).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var account: AccountOptions
        @Option(name: .shortAndLong, help: "Who you are (default: $USER).")
        var user: String = ProcessInfo.processInfo.environment["USER"] ?? "anonymous"
        @Argument var name: String

        func run() async throws {
            try await withChat(try await account.configuration(connection, user: user, clientID: "kchat"),
                               action: "blocking a user (writing chat_control)") { chat in
                try await chat.publish(.blocked(user: name, reason: "blocked by an operator"))
            }
        }
    }

    struct Unblock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unblock a user (sends an 'unblocked' control event; admins only on a hub with authentication).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var account: AccountOptions
        @Option(name: .shortAndLong, help: "Who you are (default: $USER).")
        var user: String = ProcessInfo.processInfo.environment["USER"] ?? "anonymous"
        @Argument var name: String

        func run() async throws {
            try await withChat(try await account.configuration(connection, user: user, clientID: "kchat"),
                               action: "unblocking a user (writing chat_control)") { chat in
                try await chat.publish(.unblocked(user: name, reason: "unblocked by an operator"))
            }
        }
    }
}
