import Foundation

/// A one-dimensional two-component Gaussian mixture fitted by EM exactly as scikit-learn's
/// `GaussianMixture(2, covariance_type='diag', weights_init=[.5, .5], means_init=[[min], [max]],
/// precisions_init=[[1], [1]])` fits it, which is what PAA's anchor separation calls
/// (mmdetection `paa_head.py`). EM as sklearn runs it (tol 1e-3, at most 100 rounds, reg_covar
/// 1e-6, one initialisation): each round an E-step under the current parameters gives the
/// responsibilities and the lower bound (the mean log-likelihood), then an M-step updates the
/// parameters; it stops when the bound moved by less than `tolerance`, keeping the parameters
/// of that last M-step. Computed in double with the centred variance (sklearn expands the
/// square in float32; the results agree to float32 rounding).
public struct GaussianMixture1D: Sendable, Equatable {
    public var weights: [Double]
    public var means: [Double]
    public var variances: [Double]
    /// EM rounds run.
    public private(set) var iterations = 0

    public init(weights: [Double], means: [Double], variances: [Double]) {
        precondition(weights.count == means.count && means.count == variances.count, "GaussianMixture1D: mismatched components")
        self.weights = weights; self.means = means; self.variances = variances
    }

    /// PAA's fit of `values` (at least 2): means start at the minimum and the maximum.
    public static func fitPAA(_ values: [Float], tolerance: Double = 1e-3, maxIterations: Int = 100,
                              regularization: Double = 1e-6) -> GaussianMixture1D {
        precondition(values.count >= 2, "GaussianMixture1D: \(values.count) samples; sklearn needs at least 2")
        let x = values.map(Double.init)
        var model = GaussianMixture1D(weights: [0.5, 0.5], means: [x.min()!, x.max()!], variances: [1, 1])
        var bound = -Double.infinity
        // sklearn adds 10·eps of the responsibilities' dtype (float32 for PAA's input) to each n_k.
        let nkFloor = 10 * Double(Float.ulpOfOne)
        for round in 1...maxIterations {
            let logits = x.map { model.weightedLogProbabilities($0) }
            let norms = logits.map(logSumExp)
            let newBound = norms.reduce(0, +) / Double(x.count)
            var nk = [Double](repeating: nkFloor, count: 2), sums = [0.0, 0.0]
            var resp = [[Double]]()
            for (i, a) in logits.enumerated() {
                let r = a.map { Foundation.exp($0 - norms[i]) }
                resp.append(r)
                for k in 0..<2 { nk[k] += r[k]; sums[k] += r[k] * x[i] }
            }
            let means = (0..<2).map { sums[$0] / nk[$0] }
            let variances = (0..<2).map { k -> Double in
                var s = 0.0
                for (i, r) in resp.enumerated() { s += r[k] * (x[i] - means[k]) * (x[i] - means[k]) }
                return s / nk[k] + regularization
            }
            let total = nk.reduce(0, +)
            model = GaussianMixture1D(weights: nk.map { $0 / total }, means: means, variances: variances)
            model.iterations = round
            if Swift.abs(newBound - bound) < tolerance { break }
            bound = newBound
        }
        return model
    }

    /// log N(x; μ_k, σ²_k) + log w_k per component (sklearn's `_estimate_weighted_log_prob`).
    public func weightedLogProbabilities(_ x: Double) -> [Double] {
        (0..<means.count).map { k in
            let d = x - means[k]
            return -0.5 * Foundation.log(2 * Double.pi * variances[k]) - 0.5 * d * d / variances[k] + Foundation.log(weights[k])
        }
    }

    /// The component of largest weighted log-probability (ties → the first), sklearn `predict`.
    public func predict(_ x: Double) -> Int {
        let a = weightedLogProbabilities(x)
        return a.indices.reduce(0) { a[$1] > a[$0] ? $1 : $0 }
    }

    /// The mixture's log-density at x, sklearn `score_samples`.
    public func logDensity(_ x: Double) -> Double { logSumExp(weightedLogProbabilities(x)) }
}

private func logSumExp(_ a: [Double]) -> Double {
    let m = a.max()!
    return m + Foundation.log(a.reduce(0) { $0 + Foundation.exp($1 - m) })
}
