import ChatAPI
import ChatKafka
import EmbeddedBroker
import Foundation
import Logging
import Moderation
import ServiceLifecycle
import UnixSignals

/// The one-process hub: embedded broker (unless an external cluster is configured), moderator,
/// store writer + REST API, run as one ServiceLifecycle `ServiceGroup`. SIGTERM/SIGINT shut the
/// parts down gracefully in reverse order: store/API first, then the moderator, then the broker,
/// so nothing that still talks to Kafka outlives it.
public struct Hub: Sendable {
    public let configuration: HubConfiguration
    public let logger: Logger

    public init(configuration: HubConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until one of `signals` arrives (or the moderator fails), then stops every part.
    public func run(signals: [UnixSignal] = [.sigterm, .sigint]) async throws {
        try PrivateDirectory.prepare(configuration.dataDirectory)
        let secret = try jwtSecret()
        // The broker is up before the services that connect to it start.
        let authenticator = try brokerAuthenticator(secret: secret)
        var brokerConfiguration = configuration.broker
        if let authenticator {
            brokerConfiguration.authenticator = authenticator
            if configuration.auth == .sasl {
                brokerConfiguration.authorizer = KChatAcls(topics: configuration.topics)
            } else {
                // --auth none: nobody must log in, but a client that does is checked (so clients
                // that always log in work against either kind of hub).
                brokerConfiguration.authenticationRequired = false
            }
        }
        let broker: KafkaBroker? = configuration.externalBrokers == nil
            ? try await KafkaBroker.start(brokerConfiguration, logger: logger) : nil
        try "\(getpid())\n".write(toFile: configuration.pidFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: configuration.pidFile) }
        logger.info("hub up: brokers \(configuration.brokers), data \(configuration.dataDirectory)")
        let group: ServiceGroup
        do {
            var lifecycle = ServiceGroupConfiguration(
                services: try services(broker: broker, authenticator: authenticator, secret: secret), gracefulShutdownSignals: signals, logger: logger)
            // A part that does not stop within this is cancelled, so the hub always exits.
            lifecycle.maximumGracefulShutdownDuration = .seconds(20)
            group = ServiceGroup(configuration: lifecycle)
        } catch {
            try? await broker?.shutdown()
            throw error
        }
        try await group.run()
        logger.info("hub stopped")
    }

    /// The JWT secret every part that checks or issues tokens shares (the embedded broker's
    /// logins, the moderator's author tokens with `--auth sasl`, the REST API), resolved once per
    /// run; nil when no part needs it (then no secret file is created).
    func jwtSecret() throws -> String? {
        let needed = configuration.externalBrokers == nil || configuration.auth == .sasl || configuration.httpHost != nil
        return needed ? try JWTSecret.resolve(file: configuration.secretFile) : nil
    }

    /// With the embedded broker: who may log in (API tokens, the store's passwords, the hub's
    /// service principal); required with `--auth sasl`, optional with `--auth none`.
    func brokerAuthenticator(secret: String?) throws -> HubBrokerAuthenticator? {
        guard configuration.externalBrokers == nil else { return nil }
        let api = try APIConfiguration(jwtSecret: try Self.required(secret, by: "the embedded broker"))
        return HubBrokerAuthenticator(tokens: TokenAuthority(secret: api.jwtSecret, lifetime: api.tokenLifetime),
                                      passwords: PasswordHasher(cost: api.bcryptCost), admins: configuration.admins,
                                      service: configuration.serviceCredentials)
    }

    /// The moderator; with `--auth sasl` it delivers only messages whose `kchat-token` header
    /// holds a valid token of their author (signed with the API's key).
    func moderatorService(secret: String?) throws -> ModeratorService {
        let verifier = configuration.auth == .sasl
            ? try AuthorVerifier.tokens(secret: try Self.required(secret, by: "the moderator (--auth sasl)")) : nil
        return ModeratorService(configuration: configuration.kafka, authorVerifier: verifier, logger: logger)
    }

    /// `secret`, which `jwtSecret()` resolves whenever a part that needs it runs.
    private static func required(_ secret: String?, by part: String) throws -> String {
        guard let secret else { throw HubError("\(part) needs the JWT secret, which was not resolved") }
        return secret
    }

    /// In start order; a graceful shutdown runs in the reverse order.
    func services(broker: KafkaBroker?, authenticator: HubBrokerAuthenticator? = nil, secret: String?) throws
        -> [ServiceGroupConfiguration.ServiceConfiguration] {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let broker {
            services.append(.init(service: broker))
        }
        let moderator = try moderatorService(secret: secret)
        services.append(.init(service: PartService("moderator", logger: logger) { try await moderator.run() },
                              successTerminationBehavior: .gracefullyShutdownGroup,
                              failureTerminationBehavior: .gracefullyShutdownGroup))
        var api: APIConfiguration?
        if let host = configuration.httpHost {
            api = try APIConfiguration(jwtSecret: try Self.required(secret, by: "the REST API"), host: host,
                                       port: configuration.httpPort, admins: configuration.admins, logger: logger)
        }
        var store = StoreService(kafka: configuration.kafka, database: configuration.databaseSpec, api: api, logger: logger)
        if let authenticator {
            // The broker checks PLAIN passwords against the store the API registers users in.
            let open = store.openStore
            store.openStore = { logger in
                let opened = try open(logger)
                authenticator.storeOpened(opened.store)
                return opened
            }
        }
        // The chat keeps working without the store/API (e.g. the HTTP port is taken).
        services.append(.init(service: PartService("store/REST API", logger: logger, followsGracefulShutdown: true) { [logger, store] in
            do {
                try await store.run()
            } catch is CancellationError {
            } catch {
                logger.error("store/REST API stopped: \(error); broker and moderator keep running")
            }
        }, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
        return services
    }
}
