import CRDKafka
import Foundation
import EmbeddedBroker
@testable import KafkaClient
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct OAuthBearerTests {
    @Test func aTokenProviderTurnsOnSASLAndIsAskedForATokenByBothHandles() async throws {
        let calls = Atomic<Int>(0)
        var configuration = KafkaConfiguration(bootstrapServers: ["127.0.0.1:1"], clientID: "oauth-test")
        configuration.oauthBearerToken = {
            calls.add(1, ordering: .relaxed)
            return OAuthBearerToken(token: "header.payload.signature", expiresAt: Date().addingTimeInterval(3600),
                                    principal: "alice")
        }
        #expect(configuration.producerProperties["security.protocol"] == "SASL_PLAINTEXT")
        #expect(configuration.consumerProperties(groupID: "g", autoCommit: false)["sasl.mechanisms"] == "OAUTHBEARER")
        configuration.extraProperties["sasl.mechanisms"] = "PLAIN"
        #expect(configuration.producerProperties["sasl.mechanisms"] == "PLAIN", "-X settings still win")
        configuration.extraProperties = [:]

        let session = try KafkaSession(configuration: configuration, logger: testLogger("oauth"))
        try session.assign([TopicPartitionOffset(topic: "t", partition: 0, offset: .beginning)]) { _ in }
        let deadline = ContinuousClock.now + .seconds(10)
        while calls.load(ordering: .relaxed) < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(calls.load(ordering: .relaxed) >= 2, "the producer and the consumer handle each asked once")
        await session.shutdown(flushTimeout: .milliseconds(100))
    }

    @Test func aRefreshedTokenIsHandedOverByThePollThreadsNotASaslThread() async throws {
        let current = Mutex("first.token.value")
        var configuration = KafkaConfiguration(bootstrapServers: ["127.0.0.1:1"], clientID: "oauth-refresh")
        configuration.oauthBearerToken = {
            OAuthBearerToken(token: current.withLock { $0 }, expiresAt: Date().addingTimeInterval(3600), principal: "alice")
        }
        let session = try KafkaSession(configuration: configuration, logger: testLogger("oauth-refresh"))
        let context = { RDKafkaCallbackContext.from(rd_kafka_opaque(session.core.producer.handle)) }
        #expect(context()?.tokenHandedOver.withLock { $0 } == "first.token.value", "handed over when the handle is made")
        current.withLock { $0 = "second.token.value" }
        session.core.producer.refreshToken()
        #expect(context()?.tokenHandedOver.withLock { $0 } == "second.token.value", "a refreshed token is handed over")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let threads = names.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
        #expect(!threads.contains { $0.hasPrefix("rdk:bg") }, "no SASL background thread")
        await session.shutdown(flushTimeout: .milliseconds(100))
    }

    @Test func aFailingProviderIsReportedNotFatal() async throws {
        struct NoToken: Error {}
        let calls = Atomic<Int>(0)
        var configuration = KafkaConfiguration(bootstrapServers: ["127.0.0.1:1"], clientID: "oauth-fail")
        configuration.oauthBearerToken = {
            calls.add(1, ordering: .relaxed)
            throw NoToken()
        }
        let session = try KafkaSession(configuration: configuration, logger: testLogger("oauth-fail"))
        let deadline = ContinuousClock.now + .seconds(10)
        while calls.load(ordering: .relaxed) < 1, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(calls.load(ordering: .relaxed) >= 1, "asked, refused, and the session is still usable")
        _ = try session.produce(topic: "t", value: Array("x".utf8))
        await session.shutdown(flushTimeout: .milliseconds(100))
    }

    @Test func expiryInMillisecondsNeverTraps() {
        func ms(_ seconds: Double) -> Int64 {
            OAuthBearerToken(token: "t", expiresAt: Date(timeIntervalSince1970: seconds), principal: "p").expiresAtMilliseconds
        }
        #expect(ms(1e19) == Int64.max && ms(.infinity) == Int64.max)
        #expect(ms(-1e19) == 0 && ms(-.infinity) == 0 && ms(.nan) == 0)
        #expect(ms(1_795_371_584.5) == 1_795_371_584_500)
    }
}

/// Accepts one bearer token; every principal may do everything.
private struct OneTokenAuthenticator: BrokerAuthenticator, BrokerAuthorizer {
    let token: String
    func authenticate(plain user: String, password: String) async -> Principal? { nil }
    func authenticate(bearer token: String) async -> Principal? {
        token == self.token ? Principal(name: "alice", kind: .user) : nil
    }
    func authorize(_ principal: Principal, _ operation: AclOperation, _ resource: AclResource) -> Bool { true }
}

@Suite(.timeLimit(.minutes(1)))
struct OAuthBearerBrokerTests {
    /// The provider's token reaches the embedded broker's SASL/OAUTHBEARER: with the right one
    /// the session produces and consumes; with another, nothing gets through.
    @Test func aSessionAuthenticatesWithTheProvidersToken() async throws {
        let directory = makeDataDirectory()
        defer { removeDataDirectory(directory) }
        var brokerConfiguration = BrokerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory)
        let auth = OneTokenAuthenticator(token: "the.right.token")
        brokerConfiguration.authenticator = auth
        brokerConfiguration.authorizer = auth
        let broker = try await KafkaBroker.start(brokerConfiguration)

        func session(token: String) throws -> KafkaSession {
            var configuration = testConfiguration(port: broker.port, messageTimeout: .seconds(3))
            configuration.oauthBearerToken = {
                OAuthBearerToken(token: token, expiresAt: Date().addingTimeInterval(3600), principal: "alice")
            }
            return try KafkaSession(configuration: configuration, logger: testLogger("oauth-broker"))
        }
        let good = try session(token: "the.right.token")
        try await good.createTopic(name: "secured", partitions: 1)
        let report = try await good.send(topic: "secured", value: Array("hello".utf8))
        #expect(report.offset == 0)
        await good.shutdown()

        let bad = try session(token: "a.wrong.token")
        await #expect(throws: KafkaError.self) {
            _ = try await bad.send(topic: "secured", value: Array("nope".utf8))
        }
        await bad.shutdown(flushTimeout: .milliseconds(100))
        try await broker.shutdown()
    }
}
