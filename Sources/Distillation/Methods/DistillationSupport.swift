import Detection
import Foundation
import Tensor

/// Small pieces the distillation terms share.
extension LossTermInputs {
    /// The teacher's outputs; every term here needs them, and a run without a teacher is a
    /// harness error, not a loss value.
    func requireTeacher(_ method: String) -> DenseDetector.Outputs {
        guard let t = teacher else { preconditionFailure("\(method): needs a teacher, but the trainer has none") }
        precondition(t.cls.shape == student.cls.shape,
                     "\(method): teacher predictions \(t.cls.shape) do not line up with the student's \(student.cls.shape)")
        return t
    }

    /// The main distillation region: the positives, weight 1.
    var mainSelection: PriorSelection {
        PriorSelection(indices: targets.positives, weights: [Float](repeating: 1, count: targets.positives.count))
    }

    /// The selection a logit term reads.
    func selection(_ region: DistillationRegion) -> PriorSelection {
        switch region {
        case .main: return mainSelection
        case .valuableLocalization(let vlr): return vlr.select(priors: student.priors, truth: batch.truth, targets: targets)
        }
    }

    /// GFL's localization weight at each flat prior: σ(max_c z_c) of the student, detached.
    func studentScores(_ flat: [Int]) -> [Float] { student.maxClassScores(flat) }
}

/// Level of each prior of one image, for per-level reductions (the mmdet heads' `loss_single`).
struct PriorLevels {
    let perImage: Int
    let levelOfPrior: [Int]
    let count: Int

    init(_ layout: PriorLayout) {
        perImage = layout.count; levelOfPrior = layout.levelIndices; count = layout.levels.count
    }

    func level(ofFlat f: Int) -> Int { levelOfPrior[f % perImage] }

    /// Row weights that average within each level and sum over levels: 1 / (selected on its level).
    func perLevelMeanWeights(_ flat: [Int]) -> [Float] {
        var n = [Int](repeating: 0, count: count)
        for f in flat { n[level(ofFlat: f)] += 1 }
        return flat.map { 1 / Float(n[level(ofFlat: $0)]) }
    }

    /// Per level, B·H·W 0/1 masks of the locations holding the selected priors.
    func locationMasks(_ flat: [Int], layout: PriorLayout, batch: Int) -> [[Float]] {
        var masks = layout.levels.map { [Float](repeating: 0, count: batch * $0.featureSize.height * $0.featureSize.width) }
        for f in flat {
            let b = f / perImage, i = f % perImage, l = levelOfPrior[i], level = layout.levels[l]
            let hw = level.featureSize.height * level.featureSize.width
            masks[l][b * hw + (i - level.start) / level.priorsPerLocation] = 1
        }
        return masks
    }
}

extension DenseDetector.Outputs {
    /// Bin logits of the selected priors as [values·N, n + 1] rows: GFL's edges l, t, r, b
    /// (4 values per prior), or a rotated head's deltas x, y, w, h, θ (5).
    func distributionRows(_ flat: [Int], valuesPerPrior: Int = 4) -> Tensor {
        priorRows(flat, valuesPerPrior: valuesPerPrior).reshaped([-1, reg.shape[2] / valuesPerPrior])
    }

    /// Bin logits of the selected priors as [N, values·(n + 1)] rows: all of a prior's
    /// distributions in one row (LD's RetinaNet head: its four sides).
    func priorRows(_ flat: [Int], valuesPerPrior: Int = 4) -> Tensor {
        let r = reg.shape[2]
        precondition(r % valuesPerPrior == 0, "distribution rows: \(r) regression channels are not \(valuesPerPrior)·(n + 1)")
        return reg.reshaped([-1, r]).indexSelect(axis: 0, flat)
    }

    /// The expected side distances (stride units) Σ i·softmax(z)_i of GFL bin logits, as plain
    /// values: 4 per selected prior.
    func expectedDistances(_ flat: [Int]) -> [Float] {
        let r = reg.shape[2], bins = r / 4
        var out = [Float](repeating: 0, count: 4 * flat.count)
        reg.data.withUnsafeBufferPointer { z in
            for (j, f) in flat.enumerated() {
                for e in 0..<4 { out[4 * j + e] = expectedBin(z, offset: f * r + e * bins, bins: bins) }
            }
        }
        return out
    }
}
