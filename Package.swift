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
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Tensor", dependencies: ["COpenBLAS"], swiftSettings: optimised),
        .target(name: "NN", dependencies: ["Tensor"], swiftSettings: optimised),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .target(name: "Detection", dependencies: ["NN", "Tensor"], swiftSettings: optimised),
        .target(name: "Evaluation", swiftSettings: optimised),
        // Data reuses Evaluation's COCO JSON types for the files it reads and writes.
        .target(name: "Data", dependencies: ["Detection", "Tensor", "Evaluation", "CTurboJPEG"], swiftSettings: optimised),
        // Teacher-student wiring, the papers' methods, and the training loop every run uses.
        .target(name: "Distillation", dependencies: ["Detection", "Data", "Evaluation", "NN", "Tensor",
                                                   .product(name: "Crypto", package: "swift-crypto")], swiftSettings: optimised),
        .target(name: "Harness", dependencies: [
            "Distillation", "Evaluation", "Data", "Detection", "NN", "Tensor",
            .product(name: "Yams", package: "Yams"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "bench", dependencies: [
            "Tensor", "NN", "Evaluation", "Harness",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "perf", dependencies: ["Tensor", "NN", "Detection", "Data", "Distillation"], path: "Benchmarks/perf",
                          swiftSettings: optimised),
        // Finite-difference gradient checking shared by the test targets.
        .target(name: "GradientChecking", dependencies: ["Tensor"], path: "Tests/GradientChecking"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "GradientChecking"]),
        .testTarget(name: "NNTests", dependencies: ["NN"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "Tensor", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "GradientChecking"]),
        .testTarget(name: "DataTests", dependencies: ["Data"]),
        .testTarget(name: "DistillationTests", dependencies: ["Distillation", "GradientChecking"]),
    ]
)
