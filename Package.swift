// swift-tools-version: 6.0
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
    ],
    targets: [
        // The only two folders that touch C libraries.
        .systemLibrary(name: "CRDKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CNCursesW", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),

        .target(name: "ChatModel"),
        .target(name: "ProfanityFilter"),
        .target(name: "KafkaWire", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .target(name: "EmbeddedBroker", dependencies: [
            "KafkaWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "KafkaClient", dependencies: [
            "CRDKafka",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatTUI", dependencies: ["ChatModel"]),
        .target(name: "Moderation", dependencies: [
            "ChatModel", "ProfanityFilter", "ChatKafka", "KafkaClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatApp", dependencies: [
            "ChatTUI", "ChatKafka", "ChatModel", "KafkaClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatHub", dependencies: [
            "EmbeddedBroker", "Moderation", "ChatKafka", "ChatModel",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatBenchmarks", dependencies: [
            "KafkaClient", "ProfanityFilter", "ChatTUI", "ChatModel",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatKafka", dependencies: [
            "ChatModel", "KafkaClient",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatTUICurses", dependencies: ["CNCursesW", "ChatTUI", "ChatModel"]),
        .executableTarget(name: "kchat", dependencies: [
            "EmbeddedBroker", "ChatTUICurses", "ChatTUI", "ChatModel", "ChatKafka", "KafkaClient", "Moderation", "ChatBenchmarks", "ChatHub", "ChatApp",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "KafkaWireTests", dependencies: [
            "KafkaWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOTestUtils", package: "swift-nio"),
        ]),
        .testTarget(name: "EmbeddedBrokerTests", dependencies: [
            "EmbeddedBroker", "KafkaWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "ChatModelTests", dependencies: ["ChatModel"]),
        .testTarget(name: "ProfanityFilterTests", dependencies: ["ProfanityFilter"]),
        .testTarget(name: "ModerationTests", dependencies: ["Moderation", "ChatModel"]),
        .testTarget(name: "ChatTUITests", dependencies: ["ChatTUI", "ChatModel"]),
        .testTarget(name: "KafkaClientTests", dependencies: ["KafkaClient", "EmbeddedBroker"]),
    ]
)
