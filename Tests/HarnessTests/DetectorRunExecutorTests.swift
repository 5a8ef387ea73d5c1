import Foundation
import Testing
@testable import Distillation
@testable import Harness

/// What the real executor accepts: LD's methods with a dense teacher; anything else reads "not
/// implemented" with the reason, never a number.
@Suite("Detector run executor") struct DetectorRunExecutorTests {
    @Test func supportsLDFromADenseTeacherAndNamesWhatIsMissing() {
        let executor = DetectorRunExecutor()
        #expect(executor.support(RunsFixture.spec(distilled: false)) == .supported)
        #expect(executor.support(RunsFixture.spec(distilled: true)) == .supported)

        var unknown = RunsFixture.spec(distilled: true)
        unknown.distillation = [.map(["method": .string("rank_mimicking")])]
        guard case .notImplemented(let why) = executor.support(unknown) else {
            Issue.record("an unknown method must not be supported"); return
        }
        #expect(why.contains("rank_mimicking"))

        var selfDistilled = RunsFixture.spec(distilled: true)
        selfDistilled.teacher = nil
        guard case .notImplemented(let reason) = executor.support(selfDistilled) else {
            Issue.record("a term without a teacher must not be supported"); return
        }
        #expect(reason.contains("no teacher"))
    }

    @Test func reducedScaleRunsStartFromPretrainedBackbonesWithTheProfileRecipe() throws {
        let spec = RunsFixture.spec(distilled: false)
        let run = try DetectorRunExecutor.detectionRun(spec)
        let numbers = ScaleCalibration.numbers(for: .smoke)
        #expect(numbers.pretraining != nil)
        #expect(run.training.learningRate == 0.02 * Double(spec.schedule.batchSize) / 16)
        #expect(run.detector.fcosRangeScale == 0.5)  // compact stem: strides halved
        #expect(run.train.count == numbers.trainImages)
    }

    /// Pinned: the cached pretraining of the small profile's R-18 analogue at calibration
    /// revision 4. If this changes, every machine's cached pretraining is redone: acceptable when
    /// the recipe or its scenes really changed (a new scene field included), never by accident.
    @Test func smallProfilePretrainingKeyIsStable() throws {
        var spec = RunsFixture.spec(distilled: false)
        spec.scale = .small
        spec.dataset = try DatasetSpec.resolve(name: "coco", split: nil, scale: .small).get()
        spec.backbone.widthMultiplier = ScaleCalibration.numbers(for: .small).resnetWidth
        let run = try DetectorRunExecutor.detectionRun(spec)
        let recipe = try #require(DetectorRunExecutor.pretrainingRecipe(.small, run: run))
        #expect(PretrainedBackbones.key(run.detector.backbone, recipe, revision: 4) == "r18-9d032126ed31")
    }
}
