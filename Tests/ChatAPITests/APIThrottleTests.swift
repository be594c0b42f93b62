import ChatStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ChatAPI

@Suite("Login and registration throttling")
struct APIThrottleTests {
    @Test func aBucketAllowsItsBurstThenOneAttemptPerInterval() {
        let throttle = AttemptThrottle(burst: 3, interval: .seconds(10))
        let start = ContinuousClock.now
        #expect((0..<3).map { _ in throttle.take("10.0.0.1", now: start) } == [nil, nil, nil])
        let wait = throttle.take("10.0.0.1", now: start)
        #expect(wait.map { $0 > .seconds(9) && $0 <= .seconds(10) } == true)
        #expect(throttle.take("10.0.0.2", now: start) == nil, "another address has its own bucket")
        #expect(throttle.take("10.0.0.1", now: start + .seconds(5)) != nil)
        #expect(throttle.take("10.0.0.1", now: start + .seconds(11)) == nil)
        #expect(throttle.take("10.0.0.1", now: start + .seconds(11)) != nil)
    }

    @Test func memoryIsBoundedByTheNumberOfClients() {
        let throttle = AttemptThrottle(burst: 2, interval: .seconds(60), maxClients: 100)
        let now = ContinuousClock.now
        for i in 0..<10_000 { _ = throttle.take("client-\(i)", now: now) }
        // A flood of new addresses evicted the oldest buckets; the newest still counts.
        #expect(throttle.take("client-9999", now: now) == nil)
        #expect(throttle.take("client-9999", now: now) != nil)
    }

    @Test func loginAndRegistrationAnswer429WithRetryAfterOverTheWire() async throws {
        var config = try APIConfiguration(jwtSecret: APIHarness.secret, port: 0, bcryptCost: 4)
        config.logger.logLevel = .critical
        config.authAttemptBurst = 3
        config.authAttemptInterval = .seconds(60)
        let app = buildApplication(config, store: try SQLChatStore.inMemory(), publisher: RecordingPublisher())
        try await app.test(.live) { client in
            let credentials = json(["name": "alice", "password": "password-alice"])
            #expect(try await client.send(.post, "/v1/users", body: credentials).status == .created)
            #expect(try await client.send(.post, "/v1/login", body: credentials).status == .ok)
            #expect(try await client.send(.post, "/v1/login", body: json(["name": "alice", "password": "guess"])).status == .unauthorized)
            let refused = try await client.send(.post, "/v1/login", body: credentials)
            #expect(refused.status == .tooManyRequests)
            #expect(try refused.errorCode() == "too_many_attempts")
            #expect(refused.headers[.retryAfter].flatMap { Int($0) }.map { (1...60).contains($0) } == true)
            #expect(try await client.send(.post, "/v1/users", body: json(["name": "bob", "password": "password-bob"])).status == .tooManyRequests)
            // Everything else is unaffected.
            #expect(try await client.send(.get, "/v1/channels").status == .ok)
        }
    }
}
