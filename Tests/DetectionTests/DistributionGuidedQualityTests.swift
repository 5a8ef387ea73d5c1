import Foundation
import GradientChecking
import NN
import Testing
@testable import Detection
import Tensor

/// GFocalV2's distribution-guided quality predictor and the joint class-quality logit.
@Suite("GFocalV2 quality (DGQP)") struct DistributionGuidedQualityTests {
    /// n = 4: 5 bins per side. Location 0, side 0: logits ln(4, 1, 3, 2, 10) → softmax
    /// (0.2, 0.05, 0.15, 0.1, 0.5) → top-4 descending 0.5, 0.2, 0.15, 0.1, mean 0.2375.
    /// Location 1, side 2: ln(1, 10, 2, 4, 3) → 0.5, 0.2, 0.15, 0.1 likewise. Every other side
    /// is all-zero logits: uniform 0.2, so top-4 0.2 ×4 and mean 0.2.
    @Test func statisticsAreTopKDescendingThenMean() {
        let bins = 5
        var logits = [Float](repeating: 0, count: 4 * bins * 2)   // [1, 20, 1, 2]
        let a: [Float] = [4, 1, 3, 2, 10].map { Foundation.log($0) }
        let b: [Float] = [1, 10, 2, 4, 3].map { Foundation.log($0) }
        for i in 0..<bins {
            logits[(0 * bins + i) * 2 + 0] = a[i]
            logits[(2 * bins + i) * 2 + 1] = b[i]
        }
        let stats = DistributionGuidedQuality.statistics(Tensor(shape: [1, 20, 1, 2], data: logits), bins: bins, topK: 4)
        #expect(stats.shape == [1, 20, 1, 2])
        let sharp: [Float] = [0.5, 0.2, 0.15, 0.1, 0.2375], flat: [Float] = [0.2, 0.2, 0.2, 0.2, 0.2]
        for location in 0..<2 {
            let sharpSide = location == 0 ? 0 : 2
            for side in 0..<4 {
                let expected = side == sharpSide ? sharp : flat
                for j in 0..<5 {
                    let got = stats.data[(side * 5 + j) * 2 + location]
                    #expect(Swift.abs(got - expected[j]) < 1e-6, "location \(location) side \(side) statistic \(j): \(got)")
                }
            }
        }
    }

    /// The top-k selection agrees with a full descending sort, ties included (logits drawn from
    /// four values, 17 bins, so most sides hold equal probabilities across the top-4 boundary).
    @Test func statisticsMatchAFullSortWithTies() {
        let bins = 17, plane = 6
        var rng = RNG(seed: 11)
        let logits = (0..<(2 * 4 * bins * plane)).map { _ in Float(rng.int(below: 4)) * 0.5 }
        let stats = DistributionGuidedQuality.statistics(Tensor(shape: [2, 4 * bins, 2, 3], data: logits), bins: bins, topK: 4)
        for row in 0..<8 { for j in 0..<plane {
            let side = (0..<bins).map { Double(logits[(row * bins + $0) * plane + j]) }
            let total = side.map { Foundation.exp($0) }.reduce(0, +)
            let top = side.map { Foundation.exp($0) / total }.sorted(by: >).prefix(4)
            let expected = Array(top) + [top.reduce(0, +) / 4]
            for s in 0..<5 {
                let got = stats.data[(row * 5 + s) * plane + j]
                #expect(Swift.abs(Double(got) - expected[s]) < 1e-6, "side \(row) location \(j) statistic \(s): \(got)")
            }
        } }
    }

    /// σ(joint) = σ(c)·σ(u) exactly, finite even where the product underflows a float.
    @Test(arguments: [(Float(0), Float(0)), (2, -1), (-3, 4), (40, -40), (-40, -40), (60, 60)])
    func jointLogitIsTheLogitOfTheProduct(_ c: Float, _ u: Float) {
        let z = Tensor.jointScoreLogit(cls: Tensor(shape: [1, 1, 1, 1], data: [c]), quality: Tensor(shape: [1, 1, 1, 1], data: [u])).item
        let logSigmoid = { (x: Double) -> Double in -Foundation.log1p(Foundation.exp(-x)) }
        let logProduct = logSigmoid(Double(c)) + logSigmoid(Double(u))
        let expected = logProduct - Foundation.log(-Foundation.expm1(logProduct))   // logit from log p
        #expect(z.isFinite && Swift.abs(Double(z) - expected) < 1e-4 * Swift.max(1, Swift.abs(expected)), "\(c), \(u): \(z) vs \(expected)")
    }

    @Test func gradientsOfStatisticsAndJointLogit() {
        // Distinct logits 0.05 apart: no top-4 membership or order changes under the step.
        let reg = smoothInput([2, 20, 1, 2], seed: 5)
        expectGradientsMatch([reg], step: 1e-3) { DistributionGuidedQuality.statistics($0[0], bins: 5, topK: 4) }
        var rng = RNG(seed: 5)
        let cls = Tensor(shape: [2, 3, 1, 2], data: (0..<12).map { _ in rng.uniform() * 8 - 4 })
        let quality = Tensor(shape: [2, 1, 1, 2], data: (0..<4).map { _ in rng.uniform() * 8 - 4 })
        expectGradientsMatch([cls, quality], step: 1e-3) { Tensor.jointScoreLogit(cls: $0[0], quality: $0[1]) }
    }

    static func detector(_ kind: DenseDetectorKind) -> DenseDetector {
        var c = DenseDetectorConfig(kind: kind, numClasses: 3, backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        c.fpnChannels = 16; c.headChannels = 16; c.stackedConvs = 1; c.regMax = 4
        var rng = RNG(seed: 8)
        return DenseDetector(c, rng: &rng)
    }

    /// GFocalV2 is GFL plus `reg_conf`, built last from the same generator, so both share every
    /// other weight. With the DGQP's output fixed at logit −ln 3 (quality ¼) every score is
    /// exactly ¼ of GFL's; the predictor's input is the scaled box logits of the same level.
    @Test func scoresAreGFLScoresTimesQuality() throws {
        let v1 = Self.detector(.gfl), v2 = Self.detector(.gflv2)
        let extra = Set(v2.namedParameters().map(\.name)).subtracting(v1.namedParameters().map(\.name))
        #expect(extra == ["bbox_head.reg_conf.0.weight", "bbox_head.reg_conf.0.bias",
                          "bbox_head.reg_conf.2.weight", "bbox_head.reg_conf.2.bias"])
        let quality = try #require(v2.head.quality)
        quality.out.weight.assign([Float](repeating: 0, count: quality.out.weight.count))
        quality.out.bias!.assign([-Foundation.log(3)])
        var rng = RNG(seed: 1)
        let images = Tensor(shape: [1, 3, 32, 32], data: (0..<(3 * 32 * 32)).map { _ in rng.uniform() })
        let (a, b) = GradMode.withoutGrad { (v1(images), v2(images)) }
        #expect(a.reg.data == b.reg.data)
        let sigmoid = { (x: Float) in 1 / (1 + Foundation.exp(-x)) }
        let worst = zip(a.cls.data, b.cls.data).map { Swift.abs(sigmoid($1) - 0.25 * sigmoid($0)) }.max() ?? 1
        #expect(worst < 1e-6, "largest score difference \(worst)")
    }
}
