// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses for the hub's decoders: built apart from the hub (scripts/fuzz), with
// `-sanitize=fuzzer,address` (coverage-guided, AddressSanitizer and LeakSanitizer), so the hub's
// own build carries neither. Each harness defines `<module>_main` (SwiftPM links an executable's
// `main` to it), which runs libFuzzer's driver over the harness's `LLVMFuzzerTestOneInput`.
let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-jt808", [.product(name: "WireFormats", package: "LubeHub"), .product(name: "Adapters", package: "LubeHub")]),
    ("fuzz-idoc", [.product(name: "WireFormats", package: "LubeHub"), .product(name: "Adapters", package: "LubeHub")]),
    ("fuzz-csv", [.product(name: "WireFormats", package: "LubeHub")]),
    ("fuzz-json-schema", [.product(name: "HubContracts", package: "LubeHub")]),
    ("fuzz-carrier-json", [.product(name: "Adapters", package: "LubeHub")]),
    ("fuzz-abs", []),
    ("fuzz-dealer-json", []),
]

let package = Package(
    name: "LubeHubFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "LubeHub", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver", .product(name: "HubContracts", package: "LubeHub"), .product(name: "Adapters", package: "LubeHub")]),
    ] + harnesses.map { harness in
        .executableTarget(name: harness.name, dependencies: harness.dependencies + ["FuzzSupport"], path: "Sources/\(harness.name)",
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
