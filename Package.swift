// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "kchat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kchat", targets: ["kchat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // No traits: their -D flags come in a different order on each run, which made every release
        // build compile Hummingbird again (~35 s), and kchat uses neither (swift-configuration, URL forms).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"6.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // The only two folders that touch C libraries.
        .systemLibrary(name: "CRDKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CNCursesW", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),

        .target(name: "ChatModel"),
        // The REST API's JSON bodies, shared by the server (ChatAPI, ChatStore's stats) and the client (ChatApp).
        .target(name: "ChatAPIModels", dependencies: ["ChatModel"]),
        .target(name: "ProfanityFilter"),
        .target(name: "KafkaWire", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .target(name: "EmbeddedBroker", dependencies: [
            "KafkaWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "KafkaClient", dependencies: [
            "CRDKafka",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatTUI", dependencies: ["ChatModel"]),
        .target(name: "Moderation", dependencies: [
            "ChatModel", "ProfanityFilter", "ChatKafka", "KafkaClient",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "ChatStore", dependencies: [
            "ChatModel", "ChatAPIModels",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatAPI", dependencies: [
            "ChatModel", "ChatAPIModels", "ChatStore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatApp", dependencies: [
            "ChatTUI", "ChatKafka", "ChatModel", "ChatAPIModels", "KafkaClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatHub", dependencies: [
            "EmbeddedBroker", "Moderation", "ChatKafka", "ChatModel", "ChatStore", "ChatAPI", "KafkaClient",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatBenchmarks", dependencies: [
            "KafkaClient", "ProfanityFilter", "ChatTUI", "ChatModel", "ChatStore", "Moderation", "ChatApp", "ChatKafka",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatKafka", dependencies: [
            "ChatModel", "KafkaClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatTUICurses", dependencies: ["CNCursesW", "ChatTUI", "ChatModel"]),
        .executableTarget(name: "kchat", dependencies: [
            "EmbeddedBroker", "ChatTUICurses", "ChatTUI", "ChatModel", "ChatKafka", "KafkaClient", "Moderation", "ProfanityFilter", "ChatBenchmarks", "ChatHub", "ChatApp", "ChatAPI", "ChatAPIModels",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Fuzzing (docs/FUZZING.md): scripts/fuzz.sh builds kchat-fuzz with libFuzzer in .build-fuzz; built
        // normally it replays inputs (FuzzReplayTests replays Fuzz/Corpus and Fuzz/Regressions).
        .target(name: "CLibFuzzer"),
        .target(name: "KChatFuzz", dependencies: [
            "KafkaWire", "EmbeddedBroker", "ChatModel", "Moderation", "ProfanityFilter", "ChatTUI", "ChatAPI", "ChatStore",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "kchat-fuzz", dependencies: ["KChatFuzz", "CLibFuzzer"]),

        // Helpers shared by the test targets (seeded generator, temporary directories, local ports).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "KafkaWireTests", dependencies: [
            "KafkaWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOTestUtils", package: "swift-nio"),
        ]),
        .testTarget(name: "EmbeddedBrokerTests", dependencies: [
            "TestSupport", "EmbeddedBroker", "KafkaWire",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ChatModelTests", dependencies: ["TestSupport", "ChatModel"]),
        .testTarget(name: "FuzzReplayTests", dependencies: ["KChatFuzz"]),
        .testTarget(name: "ChatStoreTests", dependencies: [
            "TestSupport", "ChatStore", "ChatAPIModels", "ChatModel",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ChatAPITests", dependencies: [
            "ChatAPI", "ChatAPIModels", "ChatStore", "ChatModel",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "JWTKit", package: "jwt-kit"),
        ]),
        .testTarget(name: "ProfanityFilterTests", dependencies: ["TestSupport", "ProfanityFilter"]),
        .testTarget(name: "ModerationTests", dependencies: [
            "Moderation", "ChatModel", "KafkaClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ChatTUITests", dependencies: ["TestSupport", "ChatTUI", "ChatModel"]),
        .testTarget(name: "ChatAppTests", dependencies: [
            "ChatApp", "ChatTUI", "ChatModel", "ChatKafka", "KafkaClient", "EmbeddedBroker",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "KafkaClientTests", dependencies: [
            "TestSupport", "KafkaClient", "EmbeddedBroker", "CRDKafka",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ChatKafkaTests", dependencies: ["TestSupport", "ChatKafka", "ChatModel", "KafkaClient", "EmbeddedBroker"]),
        .testTarget(name: "ChatHubTests", dependencies: [
            "TestSupport", "ChatHub", "ChatStore", "ChatAPIModels", "ChatAPI", "ChatKafka", "ChatModel", "EmbeddedBroker", "Moderation", "KafkaClient",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
