import EmbeddedBroker
import Foundation
import KafkaClient
import Logging
import Synchronization
import TestSupport
import Testing

/// Thread-safe accumulator for values handed to session handlers.
final class Collector<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])

    func append(_ element: Element) { storage.withLock { $0.append(element) } }
    func append(contentsOf elements: [Element]) { storage.withLock { $0.append(contentsOf: elements) } }
    var values: [Element] { storage.withLock { $0 } }
    var count: Int { storage.withLock { $0.count } }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

func testLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["KAFKA_TEST_LOG"] == "debug" ? .debug : .warning
    return logger
}

/// A fresh data directory under /tmp, removed by `removeDataDirectory`.
func makeDataDirectory() -> String { TemporaryDirectory.make(prefix: "kafkaclient-tests") }

func removeDataDirectory(_ path: String) { TemporaryDirectory.remove(path) }

/// Runs `body` against a freshly started embedded broker, shutting it down afterwards.
func withBroker<T>(_ body: (KafkaBroker, String) async throws -> T) async throws -> T {
    let directory = makeDataDirectory()
    defer { removeDataDirectory(directory) }
    let broker = try await KafkaBroker.start(BrokerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory))
    do {
        let result = try await body(broker, directory)
        try await broker.shutdown()
        return result
    } catch {
        try? await broker.shutdown()
        throw error
    }
}

/// Client settings for tests: local broker, quick failure.
func testConfiguration(port: Int, messageTimeout: Duration = .seconds(10)) -> KafkaConfiguration {
    var configuration = KafkaConfiguration(
        bootstrapServers: ["127.0.0.1:\(port)"],
        clientID: "kafkaclient-tests",
        messageTimeout: messageTimeout
    )
    if let debug = ProcessInfo.processInfo.environment["KAFKA_TEST_RDKAFKA_DEBUG"] {
        configuration.debug = debug
    }
    return configuration
}

/// A TCP port on 127.0.0.1 that nothing listens on (bound once, then released).
func closedLocalPort() throws -> Int { try LocalPort.free() }

func uniqueTopic(_ prefix: String) -> String {
    "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
}
