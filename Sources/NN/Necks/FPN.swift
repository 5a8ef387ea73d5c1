import Tensor

/// Feature Pyramid Network (Lin et al. 2017): lateral 1×1 convolutions, a top-down pathway with
/// nearest upsampling, 3×3 output convolutions, and optional extra coarser levels.
///
/// Variants used by the papers: P3–P7 with P6 from C5 (RetinaNet, `extra: .convOnInput`) or from
/// P5 (FCOS/GFL, `.convOnOutput`), and P2–P6 with P6 by max pooling (Faster R-CNN, `.maxPool`).
public final class FPN: Module {
    public enum Extra: Sendable { case convOnInput, convOnOutput, maxPool }

    public let outChannels: Int
    let laterals: [Conv2d], outputs: [Conv2d], extras: [Conv2d]
    let extraLevels: Int, extra: Extra

    /// `inChannels`: channels of the backbone outputs fed in, finest first (e.g. C3, C4, C5).
    public init(inChannels: [Int], outChannels: Int, extraLevels: Int = 0, extra: Extra = .convOnOutput, rng: inout RNG) {
        self.outChannels = outChannels; self.extraLevels = extraLevels; self.extra = extra
        laterals = inChannels.map { Conv2d($0, outChannels, kernel: 1, init: .xavierUniform, rng: &rng) }
        outputs = inChannels.map { _ in Conv2d(outChannels, outChannels, kernel: 3, init: .xavierUniform, rng: &rng) }
        var ex: [Conv2d] = []
        if extra != .maxPool {
            for i in 0..<extraLevels {
                let cin = i == 0 && extra == .convOnInput ? inChannels.last! : outChannels
                ex.append(Conv2d(cin, outChannels, kernel: 3, stride: 2, init: .xavierUniform, rng: &rng))
            }
        }
        extras = ex
        super.init()
        for (i, m) in laterals.enumerated() { child("lateral\(i)", m) }
        for (i, m) in outputs.enumerated() { child("output\(i)", m) }
        for (i, m) in extras.enumerated() { child("extra\(i)", m) }
    }

    /// Features finest first; returns the pyramid finest first.
    public func callAsFunction(_ features: [Tensor]) -> [Tensor] {
        precondition(features.count == laterals.count, "FPN: \(features.count) inputs for \(laterals.count) laterals")
        var merged = zip(laterals, features).map { $0($1) }
        for i in stride(from: merged.count - 1, to: 0, by: -1) {
            let finer = merged[i - 1]
            merged[i - 1] = finer + merged[i].upsampleNearest(height: finer.shape[2], width: finer.shape[3])
        }
        var levels = zip(outputs, merged).map { $0($1) }
        for i in 0..<extraLevels {
            switch extra {
            case .maxPool:
                levels.append(levels.last!.maxPool2d(kernel: 1, stride: 2))
            case .convOnInput, .convOnOutput:
                let source = i == 0 ? (extra == .convOnInput ? features.last! : levels.last!) : levels.last!.relu()
                levels.append(extras[i](source))
            }
        }
        return levels
    }
}
