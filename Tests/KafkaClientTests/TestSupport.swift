import EmbeddedBroker
import Foundation
import KafkaClient
import Logging
import Synchronization
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
func makeDataDirectory() -> String {
    let path = "/tmp/kafkaclient-tests-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeDataDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

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
func closedLocalPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw POSIXError(.EIO) }
    return Int(UInt16(bigEndian: address.sin_port))
}

func uniqueTopic(_ prefix: String) -> String {
    "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
}
