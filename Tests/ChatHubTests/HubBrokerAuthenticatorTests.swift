import ChatAPI
import ChatStore
import EmbeddedBroker
import Foundation
import Testing
@testable import ChatHub

@Suite("The hub's broker logins")
struct HubBrokerAuthenticatorTests {
    let tokens = TokenAuthority(secret: Array("test-secret-0123456789abcdef0123456789".utf8), lifetime: .seconds(600))
    let passwords = PasswordHasher(cost: 4)
    let service = ServiceCredentials(password: "s3rvice-password")

    func authenticator() -> HubBrokerAuthenticator {
        HubBrokerAuthenticator(tokens: tokens, passwords: passwords, admins: ["root"], service: service)
    }

    @Test func plainChecksTheStoresPasswordHashOnceTheStoreIsOpen() async throws {
        let auth = authenticator()
        let store = try SQLChatStore.inMemory()
        for name in ["alice", "root"] {
            #expect(try await store.createUser(name: name, passwordHash: try await passwords.hash("correct horse"), at: Date()))
        }
        #expect(await auth.authenticate(plain: "alice", password: "correct horse") == nil, "no store yet: refused")
        auth.storeOpened(store)
        #expect(await auth.authenticate(plain: "alice", password: "correct horse") == Principal(name: "alice", kind: .user))
        #expect(await auth.authenticate(plain: "root", password: "correct horse") == Principal(name: "root", kind: .admin))
        #expect(await auth.authenticate(plain: "alice", password: "wrong horse") == nil)
        #expect(await auth.authenticate(plain: "mallory", password: "correct horse") == nil)
    }

    @Test func theServicePrincipalNeedsItsPerProcessPassword() async {
        let auth = authenticator()
        #expect(await auth.authenticate(plain: ServiceCredentials.defaultUser, password: "s3rvice-password")
            == Principal(name: ServiceCredentials.defaultUser, kind: .service))
        #expect(await auth.authenticate(plain: ServiceCredentials.defaultUser, password: "s3rvice-passwore") == nil)
        #expect(await auth.authenticate(plain: ServiceCredentials.defaultUser, password: "") == nil)
        #expect(ServiceCredentials.random() != ServiceCredentials.random())
    }

    @Test func plainAcceptsTheUsersOwnTokenAsThePassword() async throws {
        let auth = authenticator()  // no store: a password would be refused, a token is checked by signature
        let alice = try await tokens.issue(for: "alice").token
        let ops = try await tokens.issue(for: "ops", roles: [.service]).token
        #expect(await auth.authenticate(plain: "alice", password: alice) == Principal(name: "alice", kind: .user))
        #expect(await auth.authenticate(plain: "bob", password: alice) == nil, "alice's token does not log bob in")
        #expect(await auth.authenticate(plain: "ops", password: ops) == Principal(name: "ops", kind: .service))
        let forged = alice.dropLast(4) + "AAAA"
        #expect(await auth.authenticate(plain: "alice", password: String(forged)) == nil)
        let expired = try await tokens.issue(for: "alice", now: Date().addingTimeInterval(-3600)).token
        #expect(await auth.authenticate(plain: "alice", password: expired) == nil)
        #expect(!HubBrokerAuthenticator.looksLikeToken("correct.horse.battery"))
    }

    @Test func bearerTokensGiveTheirRoles() async throws {
        let auth = authenticator()
        let user = try await tokens.issue(for: "alice").token
        let admin = try await tokens.issue(for: "root", roles: [.user, .admin]).token
        let svc = try await tokens.issue(for: "moderator", roles: [.service]).token
        #expect(await auth.authenticate(bearer: user) == Principal(name: "alice", kind: .user))
        #expect(await auth.authenticate(bearer: admin) == Principal(name: "root", kind: .admin))
        #expect(await auth.authenticate(bearer: svc) == Principal(name: "moderator", kind: .service))
        let expired = try await tokens.issue(for: "alice", now: Date().addingTimeInterval(-3600)).token
        #expect(await auth.authenticate(bearer: expired) == nil)
        let other = TokenAuthority(secret: Array("another-secret-0123456789abcdef012345".utf8), lifetime: .seconds(600))
        #expect(await auth.authenticate(bearer: try await other.issue(for: "alice").token) == nil)
        #expect(await auth.authenticate(bearer: String(user.dropLast(2)) + "AA") == nil)
    }

    @Test func withAuthSaslTheHubsServicesLogInWithTheirCredentials() {
        var configuration = HubConfiguration(dataDirectory: "/tmp/unused")
        #expect(configuration.kafka.properties["security.protocol"] == nil, "--auth none: no SASL")
        configuration.auth = .sasl
        let properties = configuration.kafka.properties
        #expect(properties["security.protocol"] == "SASL_PLAINTEXT")
        #expect(properties["sasl.mechanisms"] == "PLAIN")
        #expect(properties["sasl.username"] == configuration.serviceCredentials.user)
        #expect(properties["sasl.password"] == configuration.serviceCredentials.password)
        configuration.externalBrokers = "kafka:9092"
        #expect(configuration.kafka.properties["security.protocol"] == nil, "an external cluster is configured with -X")
    }
}
