import Foundation
import Testing
@testable import Harness

/// Verdicts on constructed measurements. Numbers are worked by hand: base.AP = [40.0, 40.1, 40.3]
/// and ld.AP = [41.0, 41.2, 41.4] pair to d = [1.0, 1.1, 1.1], mean 1.0667, s = 0.05774,
/// half-width 4.3027 · 0.05774 / √3 = 0.1434, so the 95% CI is [0.9232, 1.2101].
@Suite struct AnalysisVerdictTests {
    typealias F = AnalysisFixtures

    func verdict(_ key: String, in measured: MeasuredTable) throws -> ClaimVerdict {
        try #require(measured.claimVerdicts().first { $0.claim.key == key })
    }

    func predicate(_ predicate: Harness.Predicate, in measured: MeasuredTable) -> PredicateVerdict {
        measured.predicateVerdict(LocatedPredicate(predicate: predicate, line: 0), level: 0.95)
    }

    @Test func clearWinIsReproducedWithItsNumbers() throws {
        let claim = try verdict("ld-better", in: F.miniMeasured())
        #expect(claim.verdict == .reproduced)
        let evidence = try #require(claim.predicates.first?.comparisons.first)
        let ci = try #require(evidence.difference?.interval)
        #expect(evidence.difference?.count == 3)
        #expect(abs(ci.mean - 1.0666667) < 1e-6)
        #expect(abs(ci.lower - 0.9232449) < 1e-6)
        #expect(abs(ci.upper - 1.2100884) < 1e-6)
        #expect(evidence.numbers == "d = +1.07, 95% CI [+0.92, +1.21], n = 3")
        #expect(evidence.reason.contains("lies above the margin 0"))
    }

    @Test func clearLossIsNotReproduced() throws {
        let result = predicate(.better(F.cell("base.AP"), than: F.cell("ld.AP"), margin: 0), in: try F.miniMeasured())
        #expect(result.verdict == .notReproduced)
        #expect(result.reason.contains("at or below the margin 0"))
    }

    @Test func marginMovesTheDecision() throws {
        let measured = try F.miniMeasured()
        let a = F.cell("ld.AP"), b = F.cell("base.AP")
        // CI [0.92, 1.21]: above 0.8, straddles 1.0, entirely below 1.3.
        #expect(predicate(.better(a, than: b, margin: 0.8), in: measured).verdict == .reproduced)
        #expect(predicate(.better(a, than: b, margin: 1.0), in: measured).verdict == .inconclusive)
        #expect(predicate(.better(a, than: b, margin: 1.3), in: measured).verdict == .notReproduced)
    }

    @Test func straddlingIntervalIsInconclusive() throws {
        // d = [-0.5, 0.5, 1.5]: mean 0.5, s = 1, CI [-1.98, 2.98] straddles 0.
        var measured = try F.miniMeasured()
        measured.cells[F.cell("ld.AP")] = F.measured([1.0, 2.0, 3.0])
        measured.cells[F.cell("base.AP")] = F.measured([1.5, 1.5, 1.5])
        let result = try verdict("ld-better", in: measured)
        #expect(result.verdict == .inconclusive)
        #expect(result.predicates[0].comparisons[0].reason.contains("straddles the margin 0"))
    }

    @Test func oneSeedIsInconclusiveAndSaysWhy() throws {
        var measured = try F.miniMeasured()
        measured.cells[F.cell("ld.AP")] = F.measured([41.0])
        measured.cells[F.cell("base.AP")] = F.measured([40.0])
        let result = try verdict("ld-better", in: measured)
        #expect(result.verdict == .inconclusive)
        let evidence = result.predicates[0].comparisons[0]
        #expect(evidence.reason.contains("only 1 paired seed"))
        #expect(evidence.difference?.mean == 1.0)
        #expect(evidence.difference?.interval == nil)
    }

    @Test func seedsArePairedNotPooled() throws {
        var measured = try F.miniMeasured()
        // Only seed 0 is shared: one pair, however many values each cell has.
        measured.cells[F.cell("ld.AP")] = F.measured([41.0, 41.2], seeds: [0, 1])
        measured.cells[F.cell("base.AP")] = F.measured([40.0, 40.1], seeds: [0, 2])
        #expect(try verdict("ld-better", in: measured).predicates[0].comparisons[0].difference?.seeds == [0])
        measured.cells[F.cell("base.AP")] = F.measured([40.0], seeds: [5])
        let disjoint = try verdict("ld-better", in: measured)
        #expect(disjoint.verdict == .inconclusive)
        #expect(disjoint.predicates[0].comparisons[0].reason.contains("no seed was measured in both cells"))
    }

    @Test func lowerIsBetterColumnFlipsTheSign() throws {
        // mMR: base [50.0, 50.4, 49.8], lgd [48.0, 48.2, 47.9]: gain = base − lgd = [2.0, 2.2, 1.9].
        let claim = try verdict("lgd-lower-mmr", in: F.miniMeasured())
        #expect(claim.verdict == .reproduced)
        let comparison = claim.predicates[0].comparisons[0]
        #expect(comparison.comparison.sign == -1)
        #expect(comparison.comparison.description == "base.mMR − lgd.mMR > 0")
        #expect(abs((comparison.difference?.mean ?? 0) - 2.0333333) < 1e-6)
        // The other way round the claim fails.
        let reversed = predicate(.better(F.cell("base.mMR"), than: F.cell("lgd.mMR"), margin: 0), in: try F.miniMeasured())
        #expect(reversed.verdict == .notReproduced)
    }

    @Test func notImplementedCellDecidesTheClaim() throws {
        let claim = try verdict("fgd-better", in: F.miniMeasured())
        #expect(claim.verdict == .notImplemented)
        #expect(claim.reason.contains("fgd.AP is not implemented: method fgd"))
        #expect(claim.predicates[0].comparisons[0].difference == nil)
    }

    @Test func missingFailedAndReportedOnlyCells() throws {
        var measured = try F.miniMeasured()
        measured.cells[F.cell("ld.AP")] = nil
        #expect(try verdict("ld-better", in: measured).verdict == .notRun)
        measured.cells[F.cell("ld.AP")] = MeasuredCell(status: .notRun)
        #expect(try verdict("ld-better", in: measured).verdict == .notRun)
        measured.cells[F.cell("ld.AP")] = MeasuredCell(status: .failed(reason: "run 3f2a diverged"))
        let failed = try verdict("ld-better", in: measured)
        #expect(failed.verdict == .failed)
        #expect(failed.reason.contains("run 3f2a diverged"))
        measured.cells[F.cell("ld.AP")] = MeasuredCell(status: .notMeasured)
        #expect(try verdict("ld-better", in: measured).verdict == .notImplemented)
        // A partial cell is used with the seeds it has.
        measured.cells[F.cell("ld.AP")] = F.measured([41.0, 41.2], status: .partial)
        #expect(try verdict("ld-better", in: measured).verdict == .reproduced)
    }

    @Test func smokeScaleNeverGivesAVerdict() throws {
        let verdicts = try F.miniMeasured(scale: "smoke").claimVerdicts()
        #expect(!verdicts.isEmpty)
        for claim in verdicts {
            #expect(claim.verdict == .smokeNoVerdict)
            #expect(claim.predicates.allSatisfy { $0.verdict == .smokeNoVerdict })
            #expect(claim.predicates.flatMap(\.comparisons).allSatisfy { $0.verdict == .smokeNoVerdict })
        }
        // The numbers are still there: smoke shows the pipeline produces them.
        let ld = try #require(verdicts.first { $0.claim.key == "ld-better" })
        #expect(ld.predicates[0].comparisons[0].difference?.count == 3)
        #expect(Verdict.smokeNoVerdict.rawValue == "smoke: no verdict")
    }

    @Test func bestIsEveryComparisonNotWorse() throws {
        let measured = try F.miniMeasured()
        let best = try verdict("lgd-best", in: measured)
        #expect(best.verdict == .reproduced)
        #expect(best.predicates[0].comparisons.count == 2)
        #expect(best.predicates[0].comparisons.allSatisfy { if case .notBelow(0) = $0.comparison.test { return true } else { return false } })
        // Claiming the baseline is best: each comparison refutes it.
        let wrong = predicate(.best(F.cell("base.AP"), among: [F.cell("ld.AP"), F.cell("lgd.AP")], margin: 0), in: measured)
        #expect(wrong.verdict == .notReproduced)
        // The listed cell equal to the claimed best is skipped.
        let itself = predicate(.best(F.cell("lgd.AP"), among: [F.cell("lgd.AP"), F.cell("ld.AP")], margin: 0), in: measured)
        #expect(itself.comparisons.count == 1)
    }

    @Test func orderedIsEachStepBetter() throws {
        let measured = try F.miniMeasured()
        let ordered = try verdict("order", in: measured)
        #expect(ordered.verdict == .reproduced)
        #expect(ordered.predicates[0].comparisons.map(\.comparison.description) == ["ld.AP − base.AP > 0", "lgd.AP − ld.AP > 0"])
        let decreasing = predicate(.ordered([F.cell("base.AP"), F.cell("ld.AP"), F.cell("lgd.AP")], direction: .decreasing, margin: 0), in: measured)
        #expect(decreasing.verdict == .notReproduced)
    }

    @Test func withinNeedsTheWholeIntervalInsideTheBand() throws {
        // d = ld − lgd = [-0.6, -0.5, -0.5]: CI [-0.677, -0.390].
        let measured = try F.miniMeasured()
        #expect(try verdict("ld-close-to-lgd", in: measured).verdict == .reproduced)
        let a = F.cell("ld.AP"), b = F.cell("lgd.AP")
        #expect(predicate(.within(a, of: b, margin: 0.1), in: measured).verdict == .notReproduced)
        #expect(predicate(.within(a, of: b, margin: 0.5), in: measured).verdict == .inconclusive)
    }

    @Test func notWorseTestsAgainstMinusTheMargin() throws {
        // d = base − ld = [-1.0, -1.1, -1.1]: CI [-1.21, -0.92].
        let measured = try F.miniMeasured()
        let a = F.cell("base.AP"), b = F.cell("ld.AP")
        #expect(predicate(.notWorse(a, than: b, margin: 0.5), in: measured).verdict == .notReproduced)
        #expect(predicate(.notWorse(a, than: b, margin: 1.0), in: measured).verdict == .inconclusive)
        #expect(predicate(.notWorse(a, than: b, margin: 1.5), in: measured).verdict == .reproduced)
    }

    @Test func anyClaimNeedsOneReproducedPredicate() throws {
        var measured = try F.miniMeasured()
        #expect(try verdict("one-of", in: measured).verdict == .reproduced)
        // LD's gain made inconclusive, LGD's refuted: inconclusive; both refuted: not reproduced.
        measured.cells[F.cell("ld.AP")] = F.measured([40.0, 41.1, 42.3])
        measured.cells[F.cell("lgd.AP")] = F.measured([40.0, 40.1, 40.3])
        #expect(try verdict("one-of", in: measured).verdict == .inconclusive)
        measured.cells[F.cell("ld.AP")] = F.measured([40.0, 40.1, 40.3])
        #expect(try verdict("one-of", in: measured).verdict == .notReproduced)
    }

    @Test func combinationRules() {
        #expect(Verdict.combine([.reproduced, .reproduced], .all) == .reproduced)
        #expect(Verdict.combine([.reproduced, .inconclusive], .all) == .inconclusive)
        #expect(Verdict.combine([.inconclusive, .notReproduced], .all) == .notReproduced)
        #expect(Verdict.combine([.notReproduced, .inconclusive], .any) == .inconclusive)
        #expect(Verdict.combine([.notReproduced, .reproduced], .any) == .reproduced)
        #expect(Verdict.combine([.notReproduced, .notReproduced], .any) == .notReproduced)
        #expect(Verdict.combine([.notReproduced, .notImplemented], .all) == .notImplemented)
        #expect(Verdict.combine([.notRun, .failed], .all) == .failed)
        #expect(Verdict.combine([.reproduced, .notRun], .any) == .notRun)
        #expect(Verdict.combine([], .all) == .inconclusive)
        #expect(Verdict.tally([.reproduced, .inconclusive, .reproduced]) == "2 reproduced, 1 inconclusive")
    }

    @Test func claimThatFailsOnPublishedValuesIsFlagged() throws {
        var measured = try F.miniMeasured()
        #expect(try verdict("ld-better", in: measured).holdsOnPublishedValues)
        // Published LD below the baseline: the paper's own numbers contradict the claim.
        let yaml = F.miniYAML.replacingOccurrences(of: "values: {AP: 41.0, mMR: 49.0}", with: "values: {AP: 39.0, mMR: 49.0}")
            .replacingOccurrences(of: "printed_deltas: {AP: \"+1.0\"}", with: "printed_deltas: {AP: \"-1.0\"}")
        measured.table = try TableLoader.parse(yaml, file: "tables/lgd/table99.yaml")
        #expect(try verdict("ld-better", in: measured).holdsOnPublishedValues == false)
    }
}
