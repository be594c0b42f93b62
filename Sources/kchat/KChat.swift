import ArgumentParser

@main
struct KChat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kchat",
        abstract: "A Kafka-native terminal chat.",
        subcommands: [ChatCommand.self, BrokerCommand.self, SendCommand.self, ReadCommand.self, ChannelsCommand.self, ModeratorCommand.self, UsersCommand.self, BenchCommand.self, ServeCommand.self, StopCommand.self, APICommand.self, StatsCommand.self, TUIDemoCommand.self],
        defaultSubcommand: ChatCommand.self
    )
}
