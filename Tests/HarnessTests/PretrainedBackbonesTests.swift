import Detection
import Distillation
import Foundation
import NN
import Testing
@testable import Harness

@Suite("Pretrained backbone cache") struct PretrainedBackbonesTests {
    @Test func trainsOnceThenReusesAndKeysOnTheRecipe() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pretrained-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = PretrainedBackbones(directory: directory)
        let backbone = BackboneChoice.resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact))
        var recipe = BackbonePretraining(iterations: 2, batchSize: 4)
        recipe.cropSize = 16; recipe.heldOutCrops = 8; recipe.warmupIterations = 1

        let first = try cache.weights(for: backbone, recipe: recipe) { _ in }
        let written = try FileManager.default.attributesOfItem(atPath: first.path)[.modificationDate] as? Date
        var pretrainedAgain = false
        let second = try cache.weights(for: backbone, recipe: recipe) { _ in pretrainedAgain = true }
        #expect(first == second && !pretrainedAgain)
        #expect(try FileManager.default.attributesOfItem(atPath: second.path)[.modificationDate] as? Date == written)
        #expect(PretrainedBackbones.heldOutAccuracy(of: first) != nil)

        var longer = recipe
        longer.iterations = 3
        #expect(PretrainedBackbones.key(backbone, longer) != PretrainedBackbones.key(backbone, recipe))
        let deeper = BackboneChoice.resnet(.init(depth: 34, widthMultiplier: 0.125, stem: .compact))
        #expect(PretrainedBackbones.key(deeper, recipe) != PretrainedBackbones.key(backbone, recipe))
    }
}
