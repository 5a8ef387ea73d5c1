// swift-tools-version:6.0
import PackageDescription

// The numeric layers are compiled optimised in every configuration: `swift run bench` builds in
// debug, and an unoptimised training loop would be 10-100x slower (see README, "Speed").
let optimised: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"]), .swiftLanguageMode(.v5)]

let package = Package(
    name: "DetectionKDBench",
    products: [
        .executable(name: "bench", targets: ["bench"]),
        .executable(name: "perf", targets: ["perf"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Tensor", dependencies: ["COpenBLAS"], swiftSettings: optimised),
        .target(name: "NN", dependencies: ["Tensor"], swiftSettings: optimised),
        .executableTarget(name: "bench", dependencies: [
            "Tensor", "NN",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "perf", dependencies: ["Tensor", "NN"], path: "Benchmarks/perf",
                          swiftSettings: optimised),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "NNTests", dependencies: ["NN"]),
    ]
)
