import Foundation
import Tensor

/// ImageNet weights for the full profile: torchvision's ResNet state dicts (the weights mmdet's
/// `open-mmlab://` and `torchvision://` checkpoints hold), renamed to this ResNet's modules.
extension ResNet {
    /// This backbone's name for a torchvision key, or nil for keys without a counterpart (the
    /// classifier `fc.*`, BatchNorm's `num_batches_tracked`):
    /// `conv1` → `stem.conv`, `bn1` → `stem.norm`, `layerS.B.convK` → `layerS.B.convK.conv`,
    /// `layerS.B.bnK` → `layerS.B.convK.norm`, `downsample.0` / `.1` → `downsample.conv` / `.norm`.
    public static func name(forTorchvision key: String) -> String? {
        var parts = key.split(separator: ".").map(String.init)
        guard let leaf = parts.popLast(), leaf != "num_batches_tracked", parts.first != "fc" else { return nil }
        switch parts.count {
        case 1 where parts[0] == "conv1": parts = ["stem", "conv"]
        case 1 where parts[0] == "bn1": parts = ["stem", "norm"]
        case 3 where parts[2].hasPrefix("conv"): parts.append("conv")
        case 3 where parts[2].hasPrefix("bn"): parts[2] = "conv" + parts[2].dropFirst(2); parts.append("norm")
        case 4 where parts[2] == "downsample": parts[3] = parts[3] == "0" ? "conv" : "norm"
        default: return nil
        }
        return (parts + [leaf]).joined(separator: ".")
    }

    /// Loads a torchvision state dict: every parameter and buffer of this backbone must come
    /// from it with its shape; `source` names the file in errors.
    public func loadTorchvision(_ state: [String: Tensor], source: String) throws {
        var renamed: [String: Tensor] = [:]
        for (key, tensor) in state { if let name = Self.name(forTorchvision: key) { renamed[name] = tensor } }
        let mine = self.state()
        // A deeper network's file holds all of a shallower one's names: refuse what is left over.
        if let extra = renamed.keys.filter({ mine[$0] == nil }).sorted().first {
            throw SafeTensors.ReadError(path: source, reason: "\(extra) is not a tensor of ResNet-\(config.depth); "
                                        + "is it a torchvision ResNet-\(config.depth) state dict?")
        }
        // Deformable convolutions' offset branches start at zero, as mmdet's do from these files.
        let missing = mine.keys.filter { renamed[$0] == nil && !DeformableConv2d.isOffsetParameter($0) }.sorted()
        guard missing.isEmpty else {
            throw SafeTensors.ReadError(path: source, reason: "no weights for \(missing.count) tensors of ResNet-\(config.depth) "
                                        + "(first: \(missing[0])); is it a torchvision ResNet-\(config.depth) state dict?")
        }
        for (name, tensor) in mine where renamed[name].map({ $0.shape != tensor.shape }) ?? false {
            throw SafeTensors.ReadError(path: source, reason: "\(name): shape \(renamed[name]!.shape), this backbone's \(tensor.shape)")
        }
        try load(state: renamed, mayKeepOwn: DeformableConv2d.isOffsetParameter)
    }
}
