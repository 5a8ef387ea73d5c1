import Foundation
import Testing
@testable import Detection
import Tensor

/// OTA's Sinkhorn transport and assigner on cases worked by hand.
@Suite("OTA assignment") struct OTAAssignerTests {
    func denseCost(_ rows: [[Float]]) -> SinkhornTransport.SparseCost {
        var c = SinkhornTransport.SparseCost(rowCount: rows.count, columnCount: rows[0].count)
        for (i, row) in rows.enumerated() { for (j, value) in row.enumerated() { c.append(row: i, column: j, cost: value) } }
        return c
    }

    @Test func zeroCostPlanIsTheProductOfTheMarginals() {
        // Rank one with row sums μ and column sums ν: π_ij = μ_i ν_j / Σμ.
        let plan = SinkhornTransport().plan(denseCost([[0, 0], [0, 0]]), supply: [1, 3], demand: [2, 2])
        #expect(close(plan, [0.5, 0.5, 1.5, 1.5], 1e-4), "\(plan)")
    }

    @Test func diagonalCostPlanIsTheScaledKernel() {
        // K = exp(−C/ε) = [[1, e⁻¹⁰], [e⁻¹⁰, 1]] is symmetric with unit marginals, so
        // π = K / (1 + e⁻¹⁰): diagonal 0.9999546, off-diagonal 4.5397e-5.
        let plan = SinkhornTransport().plan(denseCost([[0, 1], [1, 0]]), supply: [1, 1], demand: [1, 1])
        let e = Float(Foundation.exp(-10.0))
        #expect(close(plan, [1 / (1 + e), e / (1 + e), e / (1 + e), 1 / (1 + e)], 1e-6), "\(plan)")
    }

    @Test func leavingOutPenalisedEntriesChangesNoBit() {
        // OTA's 1e6 penalty makes exp(M) exactly 0 in float32, so the sparse plan must equal
        // the dense one bit for bit on the entries it keeps, and the dense one is 0 elsewhere.
        var rng = RNG(seed: 7)
        let rows = 4, columns = 30
        var dense = SinkhornTransport.SparseCost(rowCount: rows, columnCount: columns)
        var sparse = dense
        for i in 0..<rows {
            for j in 0..<columns {
                let base = 5 * rng.uniform()
                let penalised = i < rows - 1 && (j + i) % 3 != 0
                dense.append(row: i, column: j, cost: base + (penalised ? 1e6 : 0))
                if !penalised { sparse.append(row: i, column: j, cost: base) }
            }
        }
        let supply: [Float] = [3, 2, 4, 21], demand = [Float](repeating: 1, count: columns)
        let full = SinkhornTransport().plan(dense, supply: supply, demand: demand)
        let kept = SinkhornTransport().plan(sparse, supply: supply, demand: demand)
        var k = 0
        for e in 0..<dense.count {
            if dense.costs[e] > 1e5 { #expect(full[e] == 0); continue }
            #expect(full[e].bitPattern == kept[k].bitPattern, "entry \(e): \(full[e]) vs \(kept[k])")
            k += 1
        }
        #expect(k == kept.count)
    }

    @Test func focalCostOfZeroLogit() {
        // p = 0.5: CE = log 2, (1 − p_t)² = 0.25; α_t = 0.25 for the positive, 0.75 for a negative.
        let ota = OTAAssigner()
        #expect(close(ota.focal(0, positive: true), 0.25 * Float(M_LN2) * 0.25))
        #expect(close(ota.focal(0, positive: false), 0.75 * Float(M_LN2) * 0.25))
        // A confident correct logit costs almost nothing; a confident wrong one a lot.
        #expect(ota.focal(6, positive: true) < 1e-6 && ota.focal(6, positive: false) > 4)
    }

    /// A 6 × 6 grid of points at stride 8 (offset 0, as OTA's), one class logit per point.
    struct Scene {
        var points: [Point] = [], strides: [Float] = [], logits: [Float] = [], boxes: [Box] = []
        init() {
            for y in 0..<6 { for x in 0..<6 {
                points.append(Point(x: Float(8 * x), y: Float(8 * y))); strides.append(8)
                logits.append(-6)
                boxes.append(Box(x1: Float(8 * x), y1: Float(8 * y), x2: Float(8 * x), y2: Float(8 * y)))
            } }
        }
        func index(_ x: Int, _ y: Int) -> Int { 6 * y + x }
        func assign(_ gts: [Box], labels: [Int]? = nil) -> Assignment {
            OTAAssigner().assign(points: points, strides: strides, classLogits: logits, numClasses: 1,
                                 predictedBoxes: boxes, gts: gts, gtLabels: labels ?? gts.map { _ in 0 })
        }
    }

    @Test func dynamicKPicksTheCheapestCandidates() {
        // gt (4, 4)–(28, 28): its centre is (16, 16), so its candidates are the 9 points at x, y
        // ∈ {8, 16, 24} (inside the box and within 2.5·8 = 20 of the centre). Two of them predict
        // the gt exactly with a confident class; one predicts IoU 0.25 with a low class score;
        // the rest predict nothing (IoU 0, cost −log(eps) ≈ 15.9 × 1.5). k = ⌊1 + 1 + 0.25⌋ = 2:
        // the transport gives the gt's two units to the two good points, every other point goes
        // to the background, and the row rescaling cannot lift the rest over it.
        var s = Scene()
        let gt = box(4, 4, 28, 28)
        let good = [s.index(2, 2), s.index(1, 2)], weak = s.index(3, 3)
        for p in good { s.boxes[p] = gt; s.logits[p] = 6 }
        s.boxes[weak] = box(4, 4, 16, 16)   // IoU 144 / 576 = 0.25
        let iouWeak = boxOverlap(s.boxes[weak], gt)
        #expect(close(iouWeak, 0.25))
        let a = s.assign([gt])
        #expect(a.positiveIndices == good.sorted(), "\(a.positiveIndices)")
        for p in good { #expect(close(a.overlaps[p], 1)) }
        #expect(a.negativeIndices.count == 34 && a.ignoredIndices.isEmpty)
    }

    @Test func rowRescalingMakesEqualCandidatesAllPositive() {
        // gt (1, 9)–(31, 23), centre (16, 16): its candidates are x ∈ {8, 16, 24} at y = 16.
        // Each predicts (1, 9)–(28, 23), IoU 378 / 420 = 0.9, with the same class logit, so the
        // three cost the same and k = ⌊2.7⌋ = 2 units spread evenly: 2/3 of each point to the gt,
        // 1/3 to the background (whose other 33 points take 1 each). Divided by its row maximum
        // the gt's share becomes 1 and the background's stays 1/3, so all three are positive
        // although k = 2: the official code's rescaling, kept.
        var s = Scene()
        let gt = box(1, 9, 31, 23)
        let three = [s.index(1, 2), s.index(2, 2), s.index(3, 2)]
        for p in three { s.boxes[p] = box(1, 9, 28, 23) }
        #expect(close(boxOverlap(s.boxes[three[0]], gt), 0.9))
        let a = s.assign([gt])
        #expect(a.positiveIndices == three, "\(a.positiveIndices)")
        for p in three { #expect(close(a.overlaps[p], 0.9)) }
    }

    @Test func aSharedBestPointTiesWithinFiftyRoundsAndGoesToTheCheaperGTAtConvergence() {
        // Two gts of different classes have the same 9 candidates (x, y ∈ {8, 16, 24}); only
        // (16, 16) predicts a box (IoU 0.72 with both), and its logit is confident for class 1,
        // so it costs gt B (class 1) about 0.5 and gt A (class 0) about 6.5; every other
        // candidate costs either gt about 25 (IoU 0, −log eps). Each gt supplies k = 1.
        // Converged, A's unit is cheaper on the other candidates (6.5 + 25 > 0.5 + 25), so B
        // takes the point. In OTA's 50 rounds the potentials move about ε·log 2 a round and
        // A's mass is still almost all on (16, 16): both rows peak there, both rescale to
        // exactly 1, and the tie goes to the lower gt, A (torch.max), as the official code does.
        var s = Scene()
        s.logits = [Float](repeating: -6, count: 72)   // two classes
        let shared = s.index(2, 2)
        let gtA = box(2, 2, 26, 26), gtB = box(6, 6, 30, 30)
        s.boxes[shared] = box(4, 4, 28, 28)
        s.logits[2 * shared + 1] = 6
        func assign(rounds: Int) -> Assignment {
            var ota = OTAAssigner()
            ota.sinkhorn.iterations = rounds
            return ota.assign(points: s.points, strides: s.strides, classLogits: s.logits, numClasses: 2,
                              predictedBoxes: s.boxes, gts: [gtA, gtB], gtLabels: [0, 1])
        }
        let official = assign(rounds: 50)
        #expect(official.gtIndices[shared] == 0)
        let converged = assign(rounds: 5000)
        #expect(converged.gtIndices[shared] == 1)
        for a in [official, converged] {
            // Points outside both candidate regions are background.
            #expect(a.gtIndices[s.index(5, 5)] == Assignment.negative && a.gtIndices[s.index(0, 0)] == Assignment.negative)
        }
    }

    /// Perfect predictions (the gt's box, a confident class) at every point of an 11 × 11 grid
    /// at stride 4 (0…40); the assigned points of `gt`.
    func perfectPredictionPositives(_ gt: Box) -> [Point] {
        let points = (0..<121).map { (i: Int) -> Point in Point(x: Float(4 * (i % 11)), y: Float(4 * (i / 11))) }
        let a = OTAAssigner().assign(points: points, strides: [Float](repeating: 4, count: 121),
                                     classLogits: [Float](repeating: 6, count: 121), numClasses: 1,
                                     predictedBoxes: [Box](repeating: gt, count: 121), gts: [gt], gtLabels: [0])
        return a.positiveIndices.map { points[$0] }
    }

    @Test func candidatesLieWithinTwoAndAHalfStridesOfTheCentre() {
        // gt (1, 1)–(39, 39) covers the points 4…36 on both axes, but only those within
        // 2.5 · 4 = 10 of its centre (20, 20) are candidates: 12…28, 25 points. Every one
        // predicts IoU 1, so k = 20 units spread evenly (0.8 each), rescaled to 1 against the
        // background's 0.2: all 25 positive, none of the other covered points.
        let positives = perfectPredictionPositives(box(1, 1, 39, 39))
        let centre: [Float] = [12, 16, 20, 24, 28]
        #expect(positives.count == 25 && positives.allSatisfy { centre.contains($0.x) && centre.contains($0.y) }, "\(positives)")
    }

    @Test func candidatesKeepAMarginOfOneHundredthInsideTheBox() {
        // gt (15.995, 15.995)–(24.005, 24.005): the points at 16 and 24 lie 0.005 inside it,
        // under the 0.01 margin, so (20, 20) is its only candidate and only positive.
        #expect(perfectPredictionPositives(box(15.995, 15.995, 24.005, 24.005)) == [Point(x: 20, y: 20)])
    }

    @Test func noGTsMeansAllBackground() {
        let s = Scene()
        #expect(s.assign([]) == Assignment.allNegative(count: 36))
    }
}
