import ArgumentParser
import ChatHub
import ChatModel

struct AclsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acls",
        abstract: "Print kchat's Kafka ACLs as kafka-acls commands for a real cluster.",
        discussion: """
            The same table 'kchat serve --auth sasl' enforces in its embedded broker: users write the chat \
            topic and read the moderated, control and channel topics and their own inbox, and use any \
            consumer group but the services' (kchat-*); admins also write the control and channel topics \
            and read the dead letters; kchat's services are super users.
            """)

    @Option(help: "Topic prefix.")
    var prefix: String = TopicNames.defaultPrefix

    @Option(help: "The cluster's bootstrap server, HOST:PORT.")
    var bootstrap: String = "localhost:9092"

    @Option(help: ArgumentHelp("An admin user (repeatable).", valueName: "name"))
    var admin: [String] = []

    @Option(help: "The principal name of kchat's services (a super user).")
    var service: String = "kchat-service"

    func run() throws {
        for line in KChatAcls(topics: TopicNames(prefix: prefix)).kafkaAclsCommands(bootstrap: bootstrap, admins: admin,
                                                                                   service: service) {
            print(line)
        }
    }
}
