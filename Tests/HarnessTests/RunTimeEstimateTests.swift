import Testing
@testable import Harness

@Suite("run time estimates") struct RunTimeEstimateTests {
    /// Training runs measured at 2× their nominal time and an analysis at 10×: each kind is
    /// estimated with its own ratio; before any analysis is measured, analyses borrow training's.
    @Test func trainingAndAnalysisRunsKeepSeparateRatios() {
        let training = RunsFixture.spec(seed: 1, distilled: false)
        var analysis = RunsFixture.spec(seed: 1, distilled: false)
        analysis.analysis = RunAnalysis(kind: RunAnalysis.teacherCorrelation, images: 8)
        let nominalTraining = RunTimeEstimate.nominalSeconds(training)
        let nominalAnalysis = RunTimeEstimate.nominalSeconds(analysis)

        var estimate = RunTimeEstimate(history: [(training, 2 * nominalTraining)])
        #expect(abs(estimate.seconds(training) - 2 * nominalTraining) < 1e-9)
        #expect(abs(estimate.seconds(analysis) - 2 * nominalAnalysis) < 1e-9)

        estimate.record(analysis, seconds: 10 * nominalAnalysis)
        #expect(abs(estimate.speedFactor - 2) < 1e-9)
        #expect(abs(estimate.seconds(training) - 2 * nominalTraining) < 1e-9)
        #expect(abs(estimate.seconds(analysis) - 10 * nominalAnalysis) < 1e-9)
    }
}
