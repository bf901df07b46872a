// swift-tools-version:6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "LubeHub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lubehub", targets: ["lubehub"]),
        .executable(name: "lubehub-bench", targets: ["lubehub-bench"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "HubContracts", targets: ["HubContracts"]),
        // For the fuzz harnesses (Fuzz/Package.swift), built apart with libFuzzer and AddressSanitizer.
        .library(name: "WireFormats", targets: ["WireFormats"]),
        .library(name: "Adapters", targets: ["Adapters"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev (>= 2.1.2; build it with scripts/bootstrap)"])]
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "HubContracts",
            swiftSettings: strictSettings
        ),
        .target(
            name: "WireFormats",
            dependencies: ["HubContracts"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HubDomain",
            dependencies: ["HubContracts"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HubMessaging",
            dependencies: [
                "Kafka", "HubContracts",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HubStore",
            dependencies: [
                "CSQLite", "CLibPQ", "HubContracts", "HubDomain",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HubCore",
            dependencies: [
                "HubDomain", "HubStore", "HubMessaging", "HubContracts", "Kafka",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Adapters",
            dependencies: [
                "Kafka", "HubContracts", "HubMessaging", "WireFormats",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HubGateway",
            dependencies: [
                "Kafka", "HubContracts", "HubMessaging", "WireFormats",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HubAPI",
            dependencies: [
                "HubDomain", "HubStore", "HubMessaging", "HubContracts",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HubConsole",
            dependencies: [
                "HubAPI", "HubDomain", "HubStore", "HubContracts",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Simulator",
            dependencies: [
                "HubContracts", "WireFormats", "Kafka",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HubServer",
            dependencies: [
                "Kafka", "HubContracts", "HubMessaging", "HubStore", "HubCore", "HubAPI", "HubConsole", "Adapters", "HubGateway",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HubCommandLine",
            dependencies: [
                "Kafka", "HubContracts", "HubMessaging", "HubStore", "HubServer", "HubAPI", "Adapters", "Simulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "lubehub",
            dependencies: [
                "Kafka", "HubContracts", "HubMessaging", "HubStore", "HubServer", "HubAPI", "HubGateway", "Adapters", "WireFormats", "Simulator", "HubCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "lubehub-bench",
            dependencies: [
                "Kafka", "HubContracts", "HubMessaging", "HubStore", "HubCore", "HubServer", "HubAPI", "HubConsole", "Adapters", "WireFormats", "Simulator", "HubCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/lubehub-bench",
            swiftSettings: strictSettings
        ),
        .target(
            name: "KafkaTestSupport",
            dependencies: ["Kafka"],
            path: "Tests/KafkaTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "KafkaTests",
            dependencies: [
                "Kafka", "CRdKafka", "KafkaTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StoreTestSupport",
            dependencies: ["HubStore"],
            path: "Tests/StoreTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubStoreTests",
            dependencies: ["HubStore", "HubContracts", "StoreTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubCoreTests",
            dependencies: ["HubCore", "HubDomain", "HubStore", "HubMessaging", "HubContracts", "Kafka", "KafkaTestSupport", "StoreTestSupport",
                           .product(name: "MetricsTestKit", package: "swift-metrics")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AdaptersTests",
            dependencies: ["Adapters", "HubContracts", "HubMessaging", "HubServer", "WireFormats", "Kafka", "KafkaTestSupport"],
            exclude: ["Golden"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubAPITests",
            dependencies: [
                "Adapters", "HubAPI", "HubConsole", "HubServer", "HubStore", "HubContracts", "HubCore", "HubDomain", "HubMessaging", "Kafka", "KafkaTestSupport", "Simulator", "StoreTestSupport",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubGatewayTests",
            dependencies: ["HubGateway", "HubContracts", "WireFormats", "Kafka", "KafkaTestSupport", "Simulator",
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SimulatorTests",
            dependencies: ["Simulator", "Adapters", "WireFormats", "HubContracts"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubServerTests",
            dependencies: [
                "HubServer", "HubAPI", "HubCore", "Kafka", "KafkaTestSupport", "StoreTestSupport",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubConsoleTests",
            dependencies: ["HubConsole", "HubAPI", "HubContracts"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubContractsTests",
            dependencies: ["HubContracts"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubDomainTests",
            dependencies: ["HubDomain", "HubContracts"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubMessagingTests",
            dependencies: ["HubMessaging", "HubContracts", "Kafka", "KafkaTestSupport",
                           .product(name: "Tracing", package: "swift-distributed-tracing")],
            swiftSettings: strictSettings
        ),
    ]
)
