import Crypto
import Detection
import Foundation
import NN
import Tensor

/// Backbones pretrained on synthetic object crops (`BackbonePretraining`), the reduced-scale
/// stand-in for the papers' ImageNet weights: one per architecture and pretraining recipe, trained
/// the first time a run needs it and shared by every later run, seed and table, as ImageNet
/// weights are. The backbone's initialisation is fixed (not the run's seed), so seeds vary only
/// the detection training that follows. The harness and `perf detector-run` share it.
public struct PretrainedBackbones {
    public let directory: URL
    /// Part of every key: the harness passes its calibration revision, so a recalibration
    /// retrains what the new revision's runs start from.
    public let revision: Int

    public init(directory: URL, revision: Int) {
        self.directory = directory; self.revision = revision
    }

    /// The cached weights for `backbone`, pretraining them first when absent.
    /// A deformable backbone shares its plain counterpart's weights (`BackbonePretraining.load`).
    public func weights(for requested: BackboneChoice, recipe: BackbonePretraining,
                 progress: (String) -> Void) throws -> URL {
        let backbone = requested.withoutDeformableConvolutions
        let key = Self.key(backbone, recipe, revision: revision)
        let url = directory.appendingPathComponent("pretrained-\(key).ckpt")
        if FileManager.default.fileExists(atPath: url.path) { return url }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var rng = RNG(seed: 0x5EED)
        let model = backbone.make(rng: &rng)
        var reported = Date.distantPast
        let outcome = try recipe.run(model) { it, loss in
            guard Date().timeIntervalSince(reported) > 1 else { return }
            reported = Date()
            progress(String(format: "pretraining backbone %d/%d, loss %.3f", it, recipe.iterations, loss))
        }
        // Written to a temporary name and renamed: a concurrent run reading the cache never sees
        // a partial file, and two runs racing to create it write identical weights.
        try BackbonePretraining.save(model, outcome: outcome, to: url)
        let summary = String(format: "{\"held_out_accuracy\": %.4f, \"seconds\": %.1f, \"final_loss\": %.4f}\n",
                             outcome.heldOutAccuracy, outcome.seconds, outcome.finalLoss)
        try? summary.write(to: url.deletingPathExtension().appendingPathExtension("json"), atomically: true, encoding: .utf8)
        return url
    }

    /// Held-out crop accuracy recorded when `weights` trained the cached file, if known.
    public static func heldOutAccuracy(of url: URL) -> Double? {
        (try? Checkpoint.read(from: url)).flatMap { $0.metadata["held_out_accuracy"] }.flatMap(Double.init)
    }

    /// Names the architecture, the recipe (the scenes its crops come from included) and the revision.
    static func key(_ backbone: BackboneChoice, _ recipe: BackbonePretraining, revision: Int) -> String {
        let recipeJSON = (try? JSONEncoder.sorted.encode(recipe)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let text = "\(backbone.identity)|\(recipeJSON)|\(revision)"
        let digest = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(backbone.shortName)-\(digest.prefix(12))"
    }
}

extension BackboneChoice {
    /// The same backbone with plain convolutions where it has deformable ones.
    var withoutDeformableConvolutions: BackboneChoice {
        guard case .resnet(var c) = self, c.deformable else { return self }
        c.deformable = false
        return .resnet(c)
    }

    /// Everything that decides the architecture's weights layout.
    var identity: String {
        switch self {
        case .resnet(let c) where c.res2Net != nil:
            "res2net(depth: \(c.depth), width: \(c.widthMultiplier), stem: \(c.stem), norm: \(c.norm), "
                + "scales: \(c.res2Net!.scales), base width: \(c.res2Net!.baseWidth))"
        case .resnet(let c): "resnet(depth: \(c.depth), width: \(c.widthMultiplier), stem: \(c.stem), norm: \(c.norm))"
        case .mobileNetV2(let w): "mobilenet_v2(width: \(w))"
        }
    }

    var shortName: String {
        switch self {
        case .resnet(let c): c.res2Net == nil ? "r\(c.depth)" : "r2n\(c.depth)"
        case .mobileNetV2: "mnv2"
        }
    }
}

private extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return e
    }
}
