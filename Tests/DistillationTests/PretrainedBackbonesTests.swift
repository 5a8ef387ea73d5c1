import Detection
@testable import Distillation
import Foundation
import NN
import Testing

@Suite("Pretrained backbone cache") struct PretrainedBackbonesTests {
    @Test func trainsOnceThenReusesAndKeysOnTheRecipe() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pretrained-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = PretrainedBackbones(directory: directory, revision: 1)
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
        let key = PretrainedBackbones.key(backbone, recipe, revision: 1)
        #expect(PretrainedBackbones.key(backbone, longer, revision: 1) != key)
        let deeper = BackboneChoice.resnet(.init(depth: 34, widthMultiplier: 0.125, stem: .compact))
        #expect(PretrainedBackbones.key(deeper, recipe, revision: 1) != key)
        #expect(PretrainedBackbones.key(backbone, recipe, revision: 2) != key)
        var otherScenes = recipe
        otherScenes.scene.hueJitter += 0.01
        #expect(PretrainedBackbones.key(backbone, otherScenes, revision: 1) != key)
    }
}
