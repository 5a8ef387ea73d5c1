import Foundation
import Testing
@testable import Harness

@Suite("training loss curve") struct TrainingLossCurveTests {
    /// 20 iterations → windows of 2. loss_a = the iteration, loss_b = 1: the first window's mean
    /// of loss_a is (1 + 2) / 2 = 1.5, the last (19 + 20) / 2 = 19.5; train_loss adds loss_b's 1.
    @Test func windowMeansPerTermAndTheirSum() {
        var curve = TrainingLossCurve(iterations: 20)
        for it in 1...20 { curve.add(iteration: it, losses: ["loss_a": Float(it), "loss_b": 1]) }
        #expect(curve.points.keys.sorted() == Array(stride(from: 2, through: 20, by: 2)))
        #expect(curve.points[2] == ["train_loss_a": 1.5, "train_loss_b": 1, "train_loss": 2.5])
        #expect(curve.final == ["train_loss_a": 19.5, "train_loss_b": 1, "train_loss": 20.5])
    }

    /// A run shorter than 10 iterations gets a point per iteration; 25 iterations get tenths of
    /// 2 or 3 iterations, the last one 24…25; 133 (small's "4e") windows of 13 or 14.
    @Test func shortAndUnevenRuns() {
        var short = TrainingLossCurve(iterations: 3)
        for it in 1...3 { short.add(iteration: it, losses: ["loss_a": Float(it)]) }
        #expect(short.points.count == 3)
        #expect(short.final["train_loss_a"] == 3)
        var uneven = TrainingLossCurve(iterations: 25)
        for it in 1...25 { uneven.add(iteration: it, losses: ["loss_a": Float(it)]) }
        #expect(uneven.points.keys.sorted() == [3, 5, 8, 10, 13, 15, 18, 20, 23, 25])
        #expect(uneven.points[22]?["train_loss_a"] == nil)
        #expect(uneven.final["train_loss_a"] == 24.5)
        var voc = TrainingLossCurve(iterations: 133)
        for it in 1...133 { voc.add(iteration: it, losses: ["loss_a": 1]) }
        let ends = voc.points.keys.sorted()
        #expect(ends.count == 10 && ends.last == 133)
        #expect(zip([0] + ends, ends).allSatisfy { 13...14 ~= $1 - $0 })
    }
}

@Suite("training loss curve across attempts") struct TrainingLossCurveResumeTests {
    /// An attempt killed at iteration 13 of 20 closed windows 2…12; its successor resumes from a
    /// checkpoint at 10: windows 2…10 come from the file, 12 is trained again (only iterations
    /// 11–12 count in it, as before), the rest follow. An evaluation-only attempt at the end keeps
    /// every window, the final one included.
    @Test func windowsSurviveAResume() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("loss-windows-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        var first = TrainingLossCurve(iterations: 20, savedWindows: file)
        for it in 1...13 { first.add(iteration: it, losses: ["loss_a": Float(it)]) }
        #expect(first.points.keys.sorted() == [2, 4, 6, 8, 10, 12])
        var second = TrainingLossCurve(iterations: 20, savedWindows: file)
        for it in 11...20 { second.add(iteration: it, losses: ["loss_a": Float(100 + it)]) }
        #expect(second.points.keys.sorted() == Array(stride(from: 2, through: 20, by: 2)))
        #expect(second.points[10]?["train_loss_a"] == 9.5 && second.points[12]?["train_loss_a"] == 111.5)
        let evaluationOnly = TrainingLossCurve(iterations: 20, savedWindows: file)
        #expect(evaluationOnly.points == second.points && evaluationOnly.final["train_loss_a"] == 119.5)
        let fresh = { () -> TrainingLossCurve in
            var curve = TrainingLossCurve(iterations: 20, savedWindows: file)
            curve.add(iteration: 1, losses: ["loss_a": 1])
            return curve
        }()
        #expect(fresh.points.isEmpty)
    }
}
