/// Test-time post-processing of a dense head (RetinaNet, FCOS, ATSS, GFL) for one image, as
/// mmdetection 2.x's `get_bboxes` / `_get_bboxes_single`.
///
/// Per level, with scores already passed through the sigmoid:
/// - `.maxScorePerPrior` (mmdet ≤ 2.17 and the LD repository, the default): when the level has
///   more than `nmsPre` priors, keep the `nmsPre` priors with the highest max-over-classes score
///   (times the score factor, e.g. centerness, when there is one); decode the kept priors;
///   then, over all levels, `multiclassNMS` (score > `scoreThreshold`, factor applied after
///   the threshold, per-class NMS, `maxPerImage`). Thresholding before or after the top-k
///   gives the same result here, so this is "top nmsPre by max score after score_thr";
/// - `.scoreClassPairs` (mmdet ≥ 2.18 `filter_scores_and_topk`): keep the (prior, class) pairs
///   with score > `scoreThreshold`, the `nmsPre` highest of them (raw score), decode their
///   priors, multiply by the factor, per-class NMS over all levels, `maxPerImage`.
public struct DensePostprocessConfig: Sendable {
    public enum Preselection: Sendable { case maxScorePerPrior, scoreClassPairs }

    public var nmsPre: Int
    public var scoreThreshold: Float
    public var iouThreshold: Float
    public var maxPerImage: Int
    public var preselection: Preselection
    /// PAA's score voting after NMS (`scoreVoting(_:candidates:)`; `.maxScorePerPrior` only).
    public var scoreVoting: Bool
    /// cvpods' FCOS inference (OTA's) keeps at most as many (prior, class) pairs per level as
    /// the level has priors: min(nmsPre, priors) (`.scoreClassPairs` only).
    public var pairsCappedAtPriors = false

    public init(nmsPre: Int = 1000, scoreThreshold: Float = 0.05, iouThreshold: Float = 0.6, maxPerImage: Int = 100,
                preselection: Preselection = .maxScorePerPrior, scoreVoting: Bool = false) {
        precondition(!scoreVoting || preselection == .maxScorePerPrior, "DensePostprocessConfig: score voting needs .maxScorePerPrior")
        self.nmsPre = nmsPre; self.scoreThreshold = scoreThreshold; self.iouThreshold = iouThreshold
        self.maxPerImage = maxPerImage; self.preselection = preselection; self.scoreVoting = scoreVoting
    }

    /// GFL, ATSS and FCOS test configs: NMS IoU 0.6.
    public static let gfl = DensePostprocessConfig()
    public static let atss = DensePostprocessConfig()
    public static let fcos = DensePostprocessConfig()
    /// OTA (official `fcos.py` inference): the scores given are √(σ(cls)·σ(IoU)); the
    /// min(1000, points) highest (point, class) pairs per level above 0.05, class-wise NMS 0.6,
    /// 100 per image.
    public static let ota = {
        var c = DensePostprocessConfig(preselection: .scoreClassPairs)
        c.pairsCappedAtPriors = true
        return c
    }()
    /// AutoAssign: FCOS's post-processing with σ(objectness) as the factor, as mmdet ran it when
    /// AutoAssign was added (2.12–2.17, `FCOSHead._get_bboxes`), which is also this suite's
    /// FCOS and ATSS default (`.maxScorePerPrior`; mmdet ≥ 2.18 would be `.scoreClassPairs`).
    public static let autoAssign = DensePostprocessConfig()
    /// BorderDet (official `borderdet.py` inference): the scores given are already 0 unless
    /// √(σ(cls)·σ(ctr)) > 0.05, and otherwise √(that · σ(border cls)); the 1000 highest (point,
    /// class) pairs per level, class-wise NMS 0.6, 100 per image.
    public static let borderDet = DensePostprocessConfig(scoreThreshold: 0, preselection: .scoreClassPairs)
    /// PAA (mmdet `paa_r50_fpn_1x_coco.py`): scores given as √(σ(cls)·σ(IoU)), the 1000 priors
    /// of highest such score per level, > 0.05, class-wise NMS 0.6, 100 per image, score voting.
    public static let paa = DensePostprocessConfig(scoreVoting: true)
    /// RetinaNet test config: NMS IoU 0.5.
    public static let retinaNet = DensePostprocessConfig(iouThreshold: 0.5)
    /// SAPD: FSAF's test config, RetinaNet's (the paper gives none; mmdet's FSAF inherits it).
    public static let sapd = retinaNet
    /// LD's GFL-ified RetinaNet (`RetinaGFLHead`; configs `retinagfl_r101_2x_coco.py` and
    /// `ld_retina_r50_1x.py` of HikariTJU/LD): NMS IoU 0.6, not RetinaNet's 0.5.
    public static let retinaGFL = DensePostprocessConfig()
    /// mmrotate's Rotated RetinaNet and GWD on DOTA: 2000 per level, rotated NMS IoU 0.1, 2000
    /// per image.
    public static let rotatedRetinaNet = DensePostprocessConfig(nmsPre: 2000, iouThreshold: 0.1, maxPerImage: 2000)
}

/// Dense post-processing with a decode callback. `levelScores[l]` is level l's
/// numPriors × numClasses sigmoid scores (row-major, priors in `PriorLayout` order);
/// `levelScoreFactors[l]`, if given, its per-prior factors (sigmoid centerness).
/// `decode(l, priors)` returns the boxes of the given level-local prior indices (in that order,
/// possibly repeated in `.scoreClassPairs` mode), e.g. by gathering anchors and deltas and
/// calling `DeltaXYWHCoder.decode(priors:deltas:maxShape:)`. Detection prior indices are flat
/// over levels.
public func densePostprocess(levelScores: [[Float]], levelScoreFactors: [[Float]]? = nil, numClasses: Int,
                             config: DensePostprocessConfig, decode: (_ level: Int, _ priors: [Int]) -> [Box]) -> Detections {
    precondition(levelScoreFactors == nil || levelScoreFactors!.count == levelScores.count,
                 "densePostprocess: \(levelScoreFactors!.count) factor levels for \(levelScores.count) score levels")
    var boxes: [Box] = [], priors: [Int] = [], factors: [Float] = []
    var pairScores: [Float] = [], pairLabels: [Int] = []   // .scoreClassPairs
    var rowScores: [Float] = []                             // .maxScorePerPrior: kept rows
    var levelStart = 0
    for (l, scores) in levelScores.enumerated() {
        precondition(scores.count % numClasses == 0, "densePostprocess: level \(l) has \(scores.count) scores for \(numClasses) classes")
        let n = scores.count / numClasses
        let levelFactors = levelScoreFactors?[l]
        precondition(levelFactors == nil || levelFactors!.count == n, "densePostprocess: level \(l) factors for \(levelFactors!.count) of \(n) priors")
        var kept: [Int]
        switch config.preselection {
        case .maxScorePerPrior:
            kept = preselectedPriors(scores, factors: levelFactors, numClasses: numClasses, nmsPre: config.nmsPre)
            for i in kept { rowScores += scores[(i * numClasses)..<((i + 1) * numClasses)] }
        case .scoreClassPairs:
            // Pair e = prior · numClasses + class, as mmdet's nonzero() over the (prior, class) mask.
            var k = config.nmsPre > 0 ? config.nmsPre : scores.count
            if config.pairsCappedAtPriors { k = Swift.min(k, n) }
            let top = topKIndices(scores, k: k, above: config.scoreThreshold)
            kept = top.map { $0 / numClasses }
            for e in top { pairScores.append(scores[e]); pairLabels.append(e % numClasses) }
        }
        let decoded = decode(l, kept)
        precondition(decoded.count == kept.count, "densePostprocess: decode returned \(decoded.count) boxes for \(kept.count) priors")
        boxes += decoded
        priors += kept.map { $0 + levelStart }
        if let f = levelFactors { factors += kept.map { f[$0] } }
        levelStart += n
    }
    let factorList = levelScoreFactors == nil ? nil : factors
    switch config.preselection {
    case .maxScorePerPrior:
        let kept = multiclassNMS(boxes: boxes, scores: rowScores, numClasses: numClasses, scoreThreshold: config.scoreThreshold,
                                 iouThreshold: config.iouThreshold, maxPerImage: config.maxPerImage,
                                 scoreFactors: factorList, priorIndices: priors)
        guard config.scoreVoting, !kept.boxes.isEmpty else { return kept }
        let candidates = MulticlassCandidates(scores: rowScores, numClasses: numClasses, scoreThreshold: config.scoreThreshold,
                                              scoreFactors: factorList)
        return scoreVoting(kept, candidateBoxes: candidates.rows.map { boxes[$0] }, candidateScores: candidates.scores,
                           candidateLabels: candidates.labels, numClasses: numClasses)
    case .scoreClassPairs:
        let finalScores = factorList.map { f in zip(pairScores, f).map { $0 * $1 } } ?? pairScores
        let keep = batchedNMS(boxes: boxes, scores: finalScores, classes: pairLabels, iouThreshold: config.iouThreshold,
                              maxKept: config.maxPerImage > 0 ? config.maxPerImage : nil)
        return Detections(boxes: keep.map { boxes[$0] }, scores: keep.map { finalScores[$0] },
                          labels: keep.map { pairLabels[$0] }, priorIndices: keep.map { priors[$0] })
    }
}

/// mmdet's `nms_pre` of one level: the `nmsPre` priors with the highest max-over-classes score
/// (times the prior's factor), all when there are no more than that (or `nmsPre` ≤ 0).
func preselectedPriors(_ scores: [Float], factors: [Float]? = nil, numClasses: Int, nmsPre: Int) -> [Int] {
    let n = scores.count / numClasses
    guard nmsPre > 0 && n > nmsPre else { return Array(0..<n) }
    var rank = [Float](repeating: 0, count: n)
    for i in 0..<n {
        var m = -Float.infinity
        for c in 0..<numClasses { m = Swift.max(m, scores[i * numClasses + c] * (factors?[i] ?? 1)) }
        rank[i] = m
    }
    return topKIndices(rank, k: nmsPre)
}

/// Dense post-processing of boxes already decoded for every prior: `levelBoxes[l]` has one box
/// per prior of level l. Same semantics as the callback form.
public func densePostprocess(levelScores: [[Float]], levelBoxes: [[Box]], levelScoreFactors: [[Float]]? = nil,
                             numClasses: Int, config: DensePostprocessConfig) -> Detections {
    precondition(levelBoxes.count == levelScores.count, "densePostprocess: \(levelBoxes.count) box levels for \(levelScores.count) score levels")
    return densePostprocess(levelScores: levelScores, levelScoreFactors: levelScoreFactors, numClasses: numClasses,
                            config: config) { l, priors in priors.map { levelBoxes[l][$0] } }
}
