import ArgumentParser
import Foundation

@main
struct KChat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kchat",
        abstract: "A Kafka-native terminal chat.",
        subcommands: [ChatCommand.self, BrokerCommand.self, SendCommand.self, ReadCommand.self, ChannelsCommand.self, ModeratorCommand.self, UsersCommand.self, LoginCommand.self, BenchCommand.self, ServeCommand.self, StopCommand.self, APICommand.self, StatsCommand.self, AclsCommand.self, TokenCommand.self, TUIDemoCommand.self],
        defaultSubcommand: ChatCommand.self
    )

    static func main() async {
        // Everything kchat creates (data directories, SQLite, broker logs, logs, secrets, tokens)
        // is its owner's alone, from creation: DMs and password hashes live there.
        umask(0o077)
        await main(nil)
    }
}
