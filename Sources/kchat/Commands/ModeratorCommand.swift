import ArgumentParser
import ChatHub
import ChatKafka
import Foundation
import Logging
import Moderation
import ProfanityFilter
import ServiceLifecycle

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

    @Flag(help: ArgumentHelp(
        "Deliver only messages whose kchat-token header holds a valid, unexpired token of their author "
            + "(others: a 'rejected' event and the record in chat_dlq).",
        discussion: "Tokens are checked with the hub's JWT secret: $KCHAT_JWT_SECRET, else --jwt-secret-file."))
    var requireAuthorToken = false

    @Option(help: ArgumentHelp("The hub's JWT secret file (its data directory's jwt.secret), for --require-author-token.",
                               valueName: "path"))
    var jwtSecretFile: String?

    func run() async throws {
        var logger = Logger(label: "kchat.moderator")
        logger.logLevel = logLevel
        let list = try words.map { try ProfanityList(contentsOf: URL(fileURLWithPath: $0)) } ?? .default
        let engine = ModerationEngine(matcher: ProfanityMatcher(list: list), warningLimit: warningLimit)
        let verifier = requireAuthorToken ? try AuthorVerifier.tokens(secret: try jwtSecret()) : nil
        let service = ModeratorService(configuration: try connection.configuration(clientID: "kchat-moderator"),
                                       engine: engine, authorVerifier: verifier, logger: logger)
        try await ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }

    /// The secret that signs the tokens: never generated here (a new one would refuse them all).
    private func jwtSecret() throws -> String {
        if let secret = ProcessInfo.processInfo.environment["KCHAT_JWT_SECRET"], !secret.isEmpty { return secret }
        guard let jwtSecretFile else {
            throw ValidationError("--require-author-token needs the hub's JWT secret: $KCHAT_JWT_SECRET or --jwt-secret-file")
        }
        let secret = try String(contentsOfFile: jwtSecretFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { throw ValidationError("\(jwtSecretFile) is empty") }
        return secret
    }
}
