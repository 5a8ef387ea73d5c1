import Foundation

/// The executor until the training core exists: it runs nothing and names what is missing,
/// first the detector, then each distillation method, so that a report says exactly which piece
/// a cell waits for.
public struct UnimplementedExecutor: RunExecutor {
    public init() {}

    public func support(_ spec: RunSpec) -> Support {
        var missing = ["detector \(spec.detector): not implemented yet"]
        for method in Set(spec.methods).sorted() {
            missing.append("method \(method): not implemented yet")
        }
        return .notImplemented(missing.joined(separator: "; "))
    }

    public func execute(_ spec: RunSpec, context: RunContext) throws -> RunResult {
        if case let .notImplemented(reason) = support(spec) { throw RunFailure.other(reason) }
        throw RunFailure.other("not implemented")
    }
}

/// The executor `bench` runs tables with: the project's dense detectors (see
/// `DetectorRunExecutor` for what they cover; everything else is "not implemented").
/// `dataRoot` is where full-scale datasets live (`DatasetSpec.location(in:)`).
public func makeRunExecutor(dataRoot: URL) -> any RunExecutor {
    DetectorRunExecutor(dataRoot: dataRoot)
}
