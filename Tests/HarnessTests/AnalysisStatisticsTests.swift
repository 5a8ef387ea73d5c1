import Foundation
import Testing
@testable import Harness

/// Statistics against numbers worked out by hand (or from standard t tables).
@Suite struct AnalysisStatisticsTests {
    @Test func meanAndSampleStandardDeviation() throws {
        // Σ(x − 5)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32; sample variance 32 / 7.
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(SampleStatistics.mean(values) == 5)
        let variance = try #require(SampleStatistics.sampleVariance(values))
        #expect(abs(variance - 32.0 / 7.0) < 1e-12)
        let sd = try #require(SampleStatistics.sampleStandardDeviation(values))
        #expect(abs(sd - 2.138089935299395) < 1e-12)
    }

    @Test func oneValueHasNoSpreadAndNoValuesNoMean() {
        #expect(SampleStatistics.mean([]) == nil)
        #expect(SampleStatistics.sampleStandardDeviation([3.5]) == nil)
        let summary = SampleSummary([3.5])
        #expect(summary?.count == 1)
        #expect(summary?.mean == 3.5)
        #expect(summary?.standardDeviation == nil)
    }

    /// Two-sided 95% critical values t_{0.975, df} from standard tables, then other levels.
    @Test(arguments: [
        (0.975, 1.0, 12.706204736), (0.975, 2.0, 4.302652730), (0.975, 3.0, 3.182446305),
        (0.975, 4.0, 2.776445105), (0.975, 5.0, 2.570581837), (0.975, 10.0, 2.228138852),
        (0.975, 30.0, 2.042272456), (0.975, 100.0, 1.983971519), (0.95, 5.0, 2.015048373),
        (0.995, 4.0, 4.604094871), (0.9, 1.0, 3.077683537),
    ])
    func tQuantilesMatchTables(p: Double, df: Double, expected: Double) {
        #expect(abs(StudentT.quantile(p, degreesOfFreedom: df) - expected) < 1e-6)
        #expect(abs(StudentT.quantile(1 - p, degreesOfFreedom: df) + expected) < 1e-6)
    }

    @Test func tCDFMatchesClosedForms() {
        // df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
        #expect(abs(StudentT.cdf(2, degreesOfFreedom: 1) - (0.5 + atan(2.0) / Double.pi)) < 1e-12)
        // df = 2: F(t) = 1/2 + t / (2·√(2 + t²)); at t = 1 that is 1/2 + 1/(2√3).
        #expect(abs(StudentT.cdf(1, degreesOfFreedom: 2) - (0.5 + 1 / (2 * 3.0.squareRoot()))) < 1e-12)
        #expect(StudentT.cdf(0, degreesOfFreedom: 7) == 0.5)
        #expect(StudentT.quantile(0.5, degreesOfFreedom: 7) == 0)
    }

    @Test func largeDegreesOfFreedomApproachTheNormal() {
        #expect(abs(StandardNormal.quantile(0.975) - 1.959963985) < 1e-8)
        #expect(abs(StandardNormal.cdf(1.959963985) - 0.975) < 1e-9)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1e6) - 1.959963985) < 1e-5)
        #expect(abs(StudentT.criticalValue(confidence: 0.95, degreesOfFreedom: 5) - 2.570581837) < 1e-6)
    }

    @Test func confidenceIntervalOfAMean() throws {
        // [1, 2, 3]: mean 2, s = 1, half-width t_{0.975,2} · 1/√3 = 4.302652730 / 1.732050808 = 2.484137706.
        let ci = try #require(ConfidenceInterval(values: [1, 2, 3]))
        #expect(ci.mean == 2)
        #expect(ci.count == 3)
        #expect(abs(ci.standardDeviation - 1) < 1e-12)
        #expect(abs(ci.halfWidth - 2.484137706) < 1e-8)
        #expect(abs(ci.lower - -0.484137706) < 1e-8)
        #expect(abs(ci.upper - 4.484137706) < 1e-8)
        #expect(ci.levelText == "95%")
        #expect(ConfidenceInterval(values: [1]) == nil)
        // 90%: t_{0.95,2} = 2.919985580; half-width 2.919985580 / √3 = 1.685854...
        let narrow = try #require(ConfidenceInterval(values: [1, 2, 3], level: 0.9))
        #expect(abs(narrow.halfWidth - 2.919985580 / 3.0.squareRoot()) < 1e-8)
    }

    @Test func pairedDifferencesUseOnlySharedSeeds() throws {
        // Seeds 0, 1, 2 are in both; 5 and 7 are not. d = [0.5, 1, 0.5]: mean 2/3,
        // s = √(1/12) = 0.288675, half-width 4.302652730 · 0.288675 / √3 = 0.717108788.
        let a: [Int: Double] = [0: 1, 1: 2, 2: 3, 5: 9]
        let b: [Int: Double] = [0: 0.5, 1: 1, 2: 2.5, 7: 1]
        let paired = PairedDifference(a, minus: b)
        #expect(paired.seeds == [0, 1, 2])
        #expect(paired.differences == [0.5, 1, 0.5])
        let mean = try #require(paired.mean)
        #expect(abs(mean - 2.0 / 3.0) < 1e-12)
        let ci = try #require(paired.interval)
        #expect(abs(ci.halfWidth - 0.717108788) < 1e-8)
        #expect(abs(ci.lower - (2.0 / 3.0 - 0.717108788)) < 1e-8)

        let flipped = PairedDifference(a, minus: b, sign: -1)
        #expect(flipped.differences == [-0.5, -1, -0.5])

        let lonely = PairedDifference([0: 1], minus: [1: 1])
        #expect(lonely.count == 0)
        #expect(lonely.mean == nil)
        #expect(lonely.interval == nil)
    }

    @Test func numberTextIsFixedAndSigned() {
        #expect(NumberText.fixed(1.005, decimals: 1) == "1.0")
        #expect(NumberText.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberText.signed(0.6, decimals: 2) == "+0.60")
        #expect(NumberText.signed(-0.125, decimals: 1) == "-0.1")
        #expect(NumberText.signed(-0.0001, decimals: 2) == "+0.00")
    }
}
