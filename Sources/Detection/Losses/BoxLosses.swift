import Tensor

extension Tensor {
    /// Σ wᵢ·(1 − GIoU(predᵢ, targetᵢ)) for boxes [M, 4] in (x1, y1, x2, y2) (Rezatofighi et al.
    /// 2019), built from differentiable primitives; `target` is a constant.
    public func giouLoss(target: [Box], weights: [Float], eps: Float = 1e-6) -> Tensor {
        precondition(weights.count == shape[0], "giouLoss: predictions \(shape), \(weights.count) weights")
        if shape[0] == 0 { return sum() }
        return ((1 - alignedGIoU(target: target, eps: eps)) * Tensor(shape: [shape[0], 1], data: weights)).sum()
    }

    /// GIoU(predᵢ, targetᵢ) [M, 1] of boxes [M, 4] in (x1, y1, x2, y2), differentiable in the
    /// predictions; `eps` guards the union and the enclosing area.
    public func alignedGIoU(target: [Box], eps: Float = 1e-6) -> Tensor {
        let o = alignedOverlapParts(target: target, caller: "alignedGIoU")
        let union = o.predArea + o.targetArea - o.intersection + eps
        let ew = Tensor.maximum(o.p[2], o.t[2]) - Tensor.minimum(o.p[0], o.t[0])
        let eh = Tensor.maximum(o.p[3], o.t[3]) - Tensor.minimum(o.p[1], o.t[1])
        let enclosing = ew.clamped(min: 0) * eh.clamped(min: 0) + eps
        return o.intersection / union - (enclosing - union) / enclosing
    }

    /// Σ wᵢ·(−ln IoU(predᵢ, targetᵢ)) for boxes [M, 4] (UnitBox's IoU loss, mmdet's `IoULoss`
    /// in its default log mode: the IoU clamped at `eps`, the union at `eps` too, as mmdet's
    /// aligned `bbox_overlaps`); `target` is a constant. SAPD's box loss.
    public func iouLoss(target: [Box], weights: [Float], eps: Float = 1e-6) -> Tensor {
        precondition(weights.count == shape[0], "iouLoss: predictions \(shape), \(weights.count) weights")
        if shape[0] == 0 { return sum() }
        let o = alignedOverlapParts(target: target, caller: "iouLoss")
        let union = (o.predArea + o.targetArea - o.intersection).clamped(min: eps)
        let iou = (o.intersection / union).clamped(min: eps)
        return (iou.log() * Tensor(shape: [shape[0], 1], data: weights)).sum().scaled(by: -1)
    }

    /// The pieces both overlap losses share: the predictions' and targets' coordinate columns
    /// [M, 1] each, the intersection and the two areas.
    private func alignedOverlapParts(target: [Box], caller: String)
        -> (p: [Tensor], t: [Tensor], intersection: Tensor, predArea: Tensor, targetArea: Tensor) {
        precondition(rank == 2 && shape[1] == 4 && target.count == shape[0], "\(caller): predictions \(shape), \(target.count) targets")
        let m = shape[0]
        let p = split(axis: 1, sizes: [1, 1, 1, 1])
        func column(_ f: (Box) -> Float) -> Tensor { Tensor(shape: [m, 1], data: target.map(f)) }
        let t = [column(\.x1), column(\.y1), column(\.x2), column(\.y2)]
        let iw = (Tensor.minimum(p[2], t[2]) - Tensor.maximum(p[0], t[0])).clamped(min: 0)
        let ih = (Tensor.minimum(p[3], t[3]) - Tensor.maximum(p[1], t[1])).clamped(min: 0)
        let predArea = (p[2] - p[0]).clamped(min: 0) * (p[3] - p[1]).clamped(min: 0)
        return (p, t, iw * ih, predArea, column(\.area))
    }

    /// Σ wᵢ·|xᵢ − tᵢ| over rows of `target`-shaped values (RetinaNet's L1 on deltas).
    public func l1Loss(target: [Float], weights: [Float]) -> Tensor {
        precondition(count == target.count && shape[0] == weights.count, "l1Loss: \(shape) vs \(target.count) targets")
        let cols = count / Swift.max(shape[0], 1)
        let w = Tensor(shape: [shape[0], cols], data: weights.flatMap { [Float](repeating: $0, count: cols) })
        return ((reshaped([shape[0], cols]) - Tensor(shape: [shape[0], cols], data: target)).abs() * w).sum()
    }

    /// Σ wᵢ·BCE(xᵢ, tᵢ) with logits x: softplus(x) − t·x (FCOS/ATSS centerness).
    public func binaryCrossEntropyWithLogits(target: [Float], weights: [Float]) -> Tensor {
        precondition(count == target.count && count == weights.count, "bce: \(count) logits, \(target.count) targets")
        let t = Tensor(shape: shape, data: target), w = Tensor(shape: shape, data: weights)
        return ((softplus() - self * t) * w).sum()
    }

    /// The expectation Σᵢ i·softmax(z)ᵢ over the last axis of [..., n + 1] logits: GFL's integral
    /// of the general distribution, in bin units.
    public func integralOfDistribution() -> Tensor {
        let bins = shape.last!
        let positions = Tensor(shape: [bins], data: (0..<bins).map(Float.init))
        return (softmax(axis: -1) * positions).sum(axis: -1)
    }
}
