import Tensor

extension Tensor {
    /// GWD (Yang et al., ICML 2021) as mmrotate's `GDLoss(loss_type='gwd')` with its defaults
    /// (fun log1p, τ 0, α 1, normalize): Σ wᵢ·log(1 + dᵢ) over oriented boxes [M, 5] (cx, cy,
    /// w, h, θ) against constant targets. Each box is the Gaussian N((cx, cy), R·diag(w², h²)/4·Rᵀ);
    /// d² = ‖μp − μt‖² + tr Σp + tr Σt − 2·√(tr(ΣpΣt) + 2√(det Σp·det Σt)) is the squared
    /// 2-Wasserstein distance (the closed form for 2×2), and d is divided by
    /// 2·(det Σp·det Σt)^(1/8) = (wp·hp·wt·ht)^(1/4). The clamps at 1e-7 are mmrotate's. The loss
    /// does not change when a box's angle turns by π, or by π/2 with w and h swapped: predictions
    /// need no angle normalisation.
    public func gaussianWassersteinLoss(target: [RotatedBox], weights: [Float]) -> Tensor {
        precondition(rank == 2 && shape[1] == 5 && target.count == shape[0] && weights.count == shape[0],
                     "gaussianWassersteinLoss: predictions \(shape), \(target.count) targets, \(weights.count) weights")
        let m = shape[0]
        if m == 0 { return sum() }
        let p = split(axis: 1, sizes: [1, 1, 1, 1, 1])
        func column(_ f: (RotatedBox) -> Float) -> Tensor { Tensor(shape: [m, 1], data: target.map(f)) }
        let tw = column { Swift.min(Swift.max($0.width, 1e-7), 1e7) }, th = column { Swift.min(Swift.max($0.height, 1e-7), 1e7) }
        let pw = p[2].clamped(min: 1e-7, max: 1e7), ph = p[3].clamped(min: 1e-7, max: 1e7)
        let (pxx, pyy, pxy) = Self.covariance(width: pw, height: ph, angle: p[4])
        let (txx, tyy, txy) = Self.covariance(width: tw, height: th, angle: column(\.angle))
        let xy = (p[0] - column(\.centerX)).square() + (p[1] - column(\.centerY)).square()
        let traceProduct = pxx * txx + 2 * pxy * txy + pyy * tyy
        let detP = pxx * pyy - pxy.square(), detT = txx * tyy - txy.square()
        let detRoot = (detP * detT).clamped(min: 1e-7).sqrt()
        let shape = pxx + pyy + txx + tyy - 2 * (traceProduct + 2 * detRoot).clamped(min: 1e-7).sqrt()
        var distance = (xy + shape).clamped(min: 1e-7).sqrt()
        distance = distance / (2 * detRoot.clamped(min: 1e-7).sqrt().clamped(min: 1e-7).sqrt().clamped(min: 1e-7))
        return (distance.log1p() * Tensor(shape: [m, 1], data: weights)).sum()
    }

    /// Σ = R·diag(w²/4, h²/4)·Rᵀ as (Σxx, Σyy, Σxy).
    static func covariance(width: Tensor, height: Tensor, angle: Tensor) -> (Tensor, Tensor, Tensor) {
        let a = width.square() * 0.25, b = height.square() * 0.25
        let c = angle.cos(), s = angle.sin()
        let cc = c.square(), ss = s.square()
        return (a * cc + b * ss, a * ss + b * cc, (a - b) * s * c)
    }
}
