import EmbeddedBroker
import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing
@testable import ChatHub

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
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("kchat-hub-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let broker = try await KafkaBroker.start(BrokerConfiguration(port: 0, dataDirectory: data))
        let port = broker.port
        let brokerUpWhenThePartStopped = Atomic<Bool>(false)
        let part = PartService("client", logger: Logger(label: "test")) {
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                brokerUpWhenThePartStopped.store(canConnect(port: port), ordering: .relaxed)
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
        #expect(!canConnect(port: port), "the broker is down once the group returns")
    }
}

/// Whether a TCP connection to 127.0.0.1:`port` is accepted.
private func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
