import Foundation
import Testing
@testable import Detection

/// PAA's GMM (against scikit-learn), its separation and assignment, and score voting.
@Suite("PAA") struct PAATests {
    /// scikit-learn 1.9.1 `GaussianMixture(2, covariance_type='diag', weights_init=[.5, .5],
    /// means_init=[[min], [max]], precisions_init=[[1], [1]])` fitted to the float32 values,
    /// sorted: n_iter_, weights_, means_, covariances_, predict and score_samples.
    struct SklearnFit {
        let values: [Float], iterations: Int
        let weights: [Double], means: [Double], variances: [Double]
        let predictions: [Int], scores: [Double]
    }
    static let sklearn = [
        SklearnFit(values: [0.21, 0.25, 0.3, 0.33, 0.4, 1.9, 2.2, 2.4, 2.45], iterations: 5,
                   weights: [0.5555555555555556, 0.4444444444444445], means: [0.29800000488758077, 2.2375000417232505],
                   variances: [0.0042970017302036275, 0.046719646734952075], predictions: [0, 0, 0, 0, 0, 1, 1, 1, 1],
                   scores: [0.31709997358059605, 0.9500997219298114, 1.2177286597059411, 1.09904055229905, 0.007581331811833901,
                            -1.417113965552641, -0.21312275970015915, -0.48067450684672164, -0.6813399534125147]),
        SklearnFit(values: [0.05, 0.06, 0.9, 1.0, 1.1, 1.2, 1.25, 1.3, 1.5, 1.6, 2.9, 3.1, 3.3, 4.0, 4.2, 4.3, 4.4, 4.6], iterations: 4,
                   weights: [0.5557419575732504, 0.44425804242674954], means: [0.9970042627331326, 3.849941203233492],
                   variances: [0.2628871799967127, 0.37374510256722965],
                   predictions: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
                   scores: [-2.5440816852285915, -2.508248667674344, -0.8562656385571475, -0.8383788393005214, -0.8585231086519222,
                            -0.9166886186156427, -0.9600233146073882, -1.0128530725416078, -1.3189074821289235, -1.5284018221265445,
                            -2.440345899625877, -1.9898950577989578, -1.6427053713051145, -1.2683218895013848, -1.402133015608336,
                            -1.5091752493171136, -1.6429715530520324, -1.990834606008162]),
        SklearnFit(values: [1.0, 1.5], iterations: 3, weights: [0.5000000000000004, 0.49999999999999956],
                   means: [1.2343143742426719, 1.2656856257573228], variances: [0.062254961144604465, 0.06225496114460424],
                   predictions: [0, 1], scores: [-0.03264156769206383, -0.03264156769208604]),
    ]

    @Test(arguments: sklearn.indices)
    func gmmMatchesScikitLearn(_ i: Int) {
        let want = Self.sklearn[i]
        let gmm = GaussianMixture1D.fitPAA(want.values)
        #expect(gmm.iterations == want.iterations)
        for k in 0..<2 {
            #expect(abs(gmm.weights[k] - want.weights[k]) < 1e-5, "weight \(k): \(gmm.weights[k]) vs \(want.weights[k])")
            #expect(abs(gmm.means[k] - want.means[k]) < 1e-5, "mean \(k): \(gmm.means[k]) vs \(want.means[k])")
            #expect(abs(gmm.variances[k] - want.variances[k]) < 1e-5 * max(1, want.variances[k]), "variance \(k)")
        }
        #expect(want.values.map { gmm.predict(Double($0)) } == want.predictions)
        for (x, s) in zip(want.values, want.scores) { #expect(abs(gmm.logDensity(Double(x)) - s) < 1e-4, "score at \(x)") }
    }

    @Test func separationKeepsComponentZeroUpToItsDensityPeak() {
        // From sklearn's fits above: the first five values are component 0 and the third of them
        // (0.3) has the highest density there, so three are positive; in the second case
        // component 0 is the first ten and its density peaks at the fourth (1.0).
        #expect(PAAAssigner.separation(sortedScores: Self.sklearn[0].values) == [0, 1, 2])
        #expect(PAAAssigner.separation(sortedScores: Self.sklearn[1].values) == [0, 1, 2, 3])
        // Two values: component 0 holds the first, which is then its own peak.
        #expect(PAAAssigner.separation(sortedScores: Self.sklearn[2].values) == [0])
    }

    @Test func anchorScoreIsFocalPlusWeightedGIoULoss() {
        // One class, logit 0: focal 0.25·ln 2·0.25. A box equal to the gt adds nothing; a box
        // covering half the gt (IoU 0.5, enclosing box the gt: GIoU 0.5) adds 1.3 × 0.5.
        let paa = PAAAssigner(), gt = box(0, 0, 4, 2), focal = 0.25 * Float(M_LN2) * 0.25
        #expect(close(paa.cost(0, gt: 0, [0], 1, [gt], [gt], [0]), focal))
        #expect(close(paa.cost(0, gt: 0, [0], 1, [box(0, 0, 2, 2)], [gt], [0]), focal + 0.65))
    }

    @Test func assignmentSelectsPerLevelAndSeparatesByGMM() {
        // Level 0: five anchors around gt A (IoU ≥ 0.1 with it, so proposed), one far away.
        // Level 1: two anchors proposed for A. With topK 3, level 0 keeps A's three cheapest
        // proposals and level 1 both, five candidates the GMM separates; gt B overlaps only
        // one anchor, so it has one candidate and no positive (mmdet).
        let gtA = box(0, 0, 20, 20), gtB = box(60, 60, 70, 70)
        let anchors = [box(0, 0, 16, 16), box(4, 4, 20, 20), box(2, 0, 18, 16), box(0, 2, 16, 18), box(4, 0, 20, 16),
                       box(40, 40, 48, 48), box(62, 62, 70, 70),
                       box(-4, -4, 24, 24), box(0, 0, 24, 24)]
        let levelCounts = [7, 2]
        var logits = [Float](repeating: -4, count: anchors.count)
        var predicted = anchors
        predicted[0] = gtA; logits[0] = 4
        predicted[7] = gtA; logits[7] = 3.5
        predicted[1] = box(0, 0, 20, 14); predicted[2] = box(0, 0, 12, 12); predicted[3] = box(10, 10, 30, 30)
        predicted[4] = box(0, 0, 20, 19); logits[4] = 3
        predicted[8] = box(2, 2, 20, 20)
        var paa = PAAAssigner()
        paa.topK = 3
        let a = paa.assign(anchors: anchors, levelCounts: levelCounts, classLogits: logits, numClasses: 1,
                           predictedBoxes: predicted, gts: [gtA, gtB], gtLabels: [0, 0])
        // Scores by hand (double precision): FL(z) = 0.25·(1 − σ(z))²·(−ln σ(z)) plus 1.3·(1 − GIoU):
        // FL(4) = 1.468e-6, FL(3.5) = 6.390e-6, FL(3) = 2.732e-5, FL(−4) = 0.968727; GIoUs 1, 0.7,
        // 0.36, −5/63, 0.95 (anchors 0–4), 1 and 0.81 (anchors 7, 8).
        let byHand: [Int: Double] = [0: 1.4678924e-6, 1: 1.3587268, 2: 1.8007268, 3: 2.3719014, 4: 0.0650273,
                                     7: 6.3904410e-6, 8: 1.2157268]
        for (anchor, score) in byHand {
            let cost = Double(paa.cost(anchor, gt: 0, logits, 1, predicted, [gtA, gtB], [0, 0]))
            #expect(abs(cost - score) < 1e-6 + 1e-6 * score, "anchor \(anchor): \(cost) vs \(score)")
        }
        // Candidates: level 0's three cheapest (anchors 0, 4, 1) and level 1's two (7, 8). Fitted
        // to their scores, scikit-learn 1.9.1's GaussianMixture (PAA's initialisation, as in
        // `gmmMatchesScikitLearn`) puts anchors 0, 7 and 4 in component 0 (mean 0.0217), whose
        // density peaks at anchor 7 (score_samples 1.80496, 1.80507, 1.05581): anchors 0 and 7
        // are positive.
        #expect(a.positiveIndices == [0, 7])
        for p in a.positiveIndices { #expect(a.gtIndices[p] == 0 && close(a.overlaps[p], 1)) }
        // Every other anchor is background, B's single proposal (anchor 6) included; none ignored.
        #expect(a.ignoredIndices.isEmpty && a.gtIndices[6] == Assignment.negative && a.gtIndices[5] == Assignment.negative)
        #expect(Set(a.negativeIndices) == [1, 2, 3, 4, 5, 6, 8])
    }

    @Test func officialCodeRules() {
        // The GIoU loss enters the anchor score unweighted: focal + 0.5 for the half-covering box.
        let official = PAAAssigner(rules: .officialCode), gt = box(0, 0, 4, 2), focal = 0.25 * Float(M_LN2) * 0.25
        #expect(close(official.cost(0, gt: 0, [0], 1, [box(0, 0, 2, 2)], [gt], [0]), focal + 0.5))
        // A gt with a single candidate (one proposed anchor) gets it as its positive; mmdet's
        // rules leave that gt without one.
        let anchors = [box(0, 0, 8, 8), box(40, 40, 48, 48)], gts = [box(1, 1, 9, 9)]
        func positives(_ rules: PAAAssigner.Rules) -> [Int] {
            PAAAssigner(rules: rules).assign(anchors: anchors, levelCounts: [2], classLogits: [0, 0], numClasses: 1,
                                             predictedBoxes: anchors, gts: gts, gtLabels: [0]).positiveIndices
        }
        #expect(positives(.officialCode) == [0] && positives(.mmdetection) == [])
        // scikit-learn 1.9.1 puts all three of these scores in component 1 (both means converge
        // to 0.002855): no foreground, so the official code keeps every candidate and mmdet none.
        let flat: [Float] = [0.002164679579436779, 0.002985733561217785, 0.0034134858287870884]
        #expect(flat.allSatisfy { GaussianMixture1D.fitPAA(flat).predict(Double($0)) == 1 })
        #expect(PAAAssigner.separation(sortedScores: flat, rules: .officialCode) == [0, 1, 2])
        #expect(PAAAssigner.separation(sortedScores: flat) == [])
    }

    @Test func scoreVotingAveragesOverlappingSameClassCandidates() {
        // Detection A (class 0, 0.9) votes with itself (IoU 1, weight 0.9) and with B (IoU
        // 100/120, weight exp(−(1/6)²/0.025)·0.5 = 0.16460); C (no overlap) and D (class 1) do
        // not vote. y2 = (0.9·10 + 0.16460·12) / 1.06460 = 10.3092; the score stays 0.9. The
        // class-1 detection comes out after the class-0 one.
        let a = box(0, 0, 10, 10), b = box(0, 0, 10, 12), c = box(20, 20, 30, 30), d = box(0, 0, 10, 11)
        let dets = Detections(boxes: [d, a], scores: [0.7, 0.9], labels: [1, 0], priorIndices: [3, 0])
        let voted = scoreVoting(dets, candidateBoxes: [a, b, c, d], candidateScores: [0.9, 0.5, 0.8, 0.7],
                                candidateLabels: [0, 0, 0, 1], numClasses: 2)
        let wB = Float(Foundation.exp(-(1.0 / 6) * (1.0 / 6) / 0.025)) * 0.5
        #expect(voted.labels == [0, 1] && voted.scores == [0.9, 0.7] && voted.priorIndices == [0, 3])
        #expect(close(voted.boxes[0], box(0, 0, 10, (0.9 * 10 + wB * 12) / (0.9 + wB))))
        #expect(close(voted.boxes[0].y2, 10.3092, 1e-3))
        #expect(voted.boxes[1] == d)
    }
}
