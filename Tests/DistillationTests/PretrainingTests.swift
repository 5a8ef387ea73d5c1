import Data
import Detection
import Foundation
import NN
import Testing
@testable import Distillation
import Tensor

@Suite("Backbone pretraining") struct PretrainingTests {
    @Test func cropsAreDeterministicLabelledAndInRange() {
        let crops = ObjectCrops(cropSize: 24, seed: 3)
        let a = crops.crop(5), b = crops.crop(5)
        #expect(a.pixels == b.pixels && a.label == b.label)
        #expect(a.pixels.count == 3 * 24 * 24)
        #expect(a.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        let labels = Set((0..<400).map { crops.crop($0).label })
        #expect(labels == Set(0..<ObjectCrops.classCount))   // every conjunction is drawn
        #expect(ObjectCrops(cropSize: 24, seed: 4).crop(5).pixels != a.pixels)
        // The object is drawn: the crop's centre differs from its corners more than noise does.
        let (images, batchLabels) = crops.batch([5, 6], normalization: .identity)
        #expect(images.shape == [2, 3, 24, 24] && batchLabels == [a.label, crops.crop(6).label])
        #expect(Array(images.data[0..<(3 * 24 * 24)]) == a.pixels)
    }

    /// log-softmax of [0, ln 3] is [ln ¼, ln ¾]; mean NLL of labels 0 and 1 is −(ln ¼ + ln ¾)/2.
    @Test func crossEntropyMatchesHandWorkedValue() {
        let logits = Tensor(shape: [2, 2], data: [0, log(3), 0, log(3)])
        let value = BackbonePretraining.crossEntropy(logits, [0, 1]).item
        #expect(abs(value - Float(-(log(0.25) + log(0.75)) / 2)) < 1e-6)
    }

    @Test func pretrainingLowersTheLossAndWeightsLoadIntoADetector() throws {
        var rng = RNG(seed: 1)
        let config = ResNet.Config(depth: 18, widthMultiplier: 0.125, stem: .compact)
        let backbone = ResNet(config, rng: &rng)
        var recipe = BackbonePretraining(iterations: 12, batchSize: 16)
        recipe.cropSize = 16; recipe.heldOutCrops = 32; recipe.warmupIterations = 2; recipe.learningRate = 5e-3
        let before = backbone.state().mapValues(\.data)
        var losses: [Float] = []
        let outcome = try recipe.run(backbone) { _, loss in losses.append(loss) }
        #expect(losses.count == 12 && outcome.finalLoss.isFinite)
        // 32 classes from a fresh classifier: the first loss is near ln 32 (12 iterations are too
        // few to expect a lower loss on ever-new crops; the calibration notes give the real curve).
        #expect(abs(losses[0] - log(32)) < 1)
        #expect(backbone.state().contains { before[$0.key] != $0.value.data })
        #expect(outcome.heldOutAccuracy >= 0 && outcome.heldOutAccuracy <= 1)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        try BackbonePretraining.save(backbone, outcome: outcome, to: url)
        var run = TrainingTests.tinyRun(seed: 0, iterations: 0)
        run.detector.backbone = .resnet(config)
        run.pretrainedBackbone = url
        var rng2 = RNG(seed: 0)
        let detector = DenseDetector(run.detector, rng: &rng2)
        try BackbonePretraining.load(url, into: detector.backbone)
        let saved = backbone.state(), loaded = detector.backbone.state()
        #expect(saved.keys.sorted() == loaded.keys.sorted())
        #expect(saved.allSatisfy { loaded[$0.key]!.data == $0.value.data })
    }

    @Test func zeroInitResidualZeroesOnlyEachBlocksLastScale() {
        for depth in [18, 50] {
            var rng = RNG(seed: 2)
            let backbone = ResNet(.init(depth: depth, widthMultiplier: 0.125, stem: .compact), rng: &rng)
            BackbonePretraining.zeroResidualBranches(backbone)
            let last = depth == 18 ? ".conv2.norm.weight" : ".conv3.norm.weight"
            var zeroed = 0
            for (name, t) in backbone.namedParameters() where name.hasSuffix(".norm.weight") {
                let isLast = name.hasPrefix("layer") && name.hasSuffix(last)
                #expect(t.data.allSatisfy { $0 == 0 } == isLast, "\(name)")
                if isLast { zeroed += 1 }
            }
            #expect(zeroed == (depth == 18 ? 8 : 16))   // one per residual block
        }
    }
}
