import EmbeddedBroker
import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing
@testable import ChatHub
import TestSupport

@Suite("Hub services", .timeLimit(.minutes(1)))
struct HubServicesTests {
    @Test func aGracefulShutdownCancelsAPartThatRunsUntilCancelled() async throws {
        let ended = Atomic<Bool>(false)
        let part = PartService("forever", logger: Logger(label: "test")) {
            defer { ended.store(true, ordering: .relaxed) }
            try await Task.sleep(for: .seconds(3600))
        }
        try await testGracefulShutdown { trigger in
            async let run: Void = part.run()
            try await Task.sleep(for: .milliseconds(50))
            trigger.triggerGracefulShutdown()
            try await run
        }
        let didEnd = ended.load(ordering: .relaxed)
        #expect(didEnd)
    }

    @Test func thePartsStopBeforeTheBrokerTheyTalkTo() async throws {
        let data = TemporaryDirectory.make(prefix: "kchat-hub")
        defer { TemporaryDirectory.remove(data) }
        let broker = try await KafkaBroker.start(BrokerConfiguration(port: 0, dataDirectory: data))
        let port = broker.port
        let brokerUpWhenThePartStopped = Atomic<Bool>(false)
        let part = PartService("client", logger: Logger(label: "test")) {
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                brokerUpWhenThePartStopped.store(LocalPort.accepts(port), ordering: .relaxed)
                throw error
            }
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: broker), .init(service: part)],
            logger: Logger(label: "test")))
        async let run: Void = group.run()
        try await Task.sleep(for: .milliseconds(100))
        await group.triggerGracefulShutdown()
        try await run
        let wasUp = brokerUpWhenThePartStopped.load(ordering: .relaxed)
        #expect(wasUp, "the part started later stops first")
        #expect(!LocalPort.accepts(port), "the broker is down once the group returns")
    }
}
