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
