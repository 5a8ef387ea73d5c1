import Foundation
import Testing
@testable import NN
import Tensor

/// ImageNet weights at full scale: the safetensors reader and torchvision's ResNet names.
@Suite("Pretrained weights") struct PretrainedWeightsTests {
    static func fixture(_ name: String) -> URL { Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)! }

    /// `small.safetensors` was written by `safetensors.torch.save_file` (safetensors 0.7, torch
    /// 2.15): conv1.weight = arange(24)/8 − 1 as [2, 3, 2, 2] F32, bn1.running_var (0.5, 2),
    /// bn1.num_batches_tracked 7 (I64), half (1.5, −2.25, 2^−14 (the smallest normal), 0) F16,
    /// brain (1.5, −3) BF16, count (−4, 9) I32.
    @Test func readsWhatTheReferenceLibraryWrote() throws {
        let t = try SafeTensors.read(Self.fixture("small.safetensors"))
        #expect(Set(t.keys) == ["conv1.weight", "bn1.running_var", "bn1.num_batches_tracked", "half", "brain", "count"])
        #expect(t["conv1.weight"]!.shape == [2, 3, 2, 2] && t["conv1.weight"]!.data == (0..<24).map { Float($0) / 8 - 1 })
        #expect(t["bn1.running_var"]!.data == [0.5, 2] && t["bn1.num_batches_tracked"]!.data == [7])
        #expect(t["half"]!.data == [1.5, -2.25, 6.103515625e-05, 0] && t["brain"]!.data == [1.5, -3] && t["count"]!.data == [-4, 9])
        #expect(SafeTensors.halfToFloat(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))   // smallest subnormal
    }

    /// torchvision's `BasicBlock` (8 → 8, stride 2) and `Bottleneck` (16 → 4·4, stride 2), with
    /// projection shortcuts and random BatchNorm statistics, in eval mode: their weights, an input
    /// [2, C, 9, 10] and torch's output (`torchvision-blocks.safetensors`, torchvision 0.29).
    /// The same weights under this ResNet's names give the same output: stride placement,
    /// padding, kernel orientation and BatchNorm agree.
    @Test func blocksComputeWhatTorchvisionComputes() throws {
        let t = try SafeTensors.read(Self.fixture("torchvision-blocks.safetensors"))
        var rng = RNG(seed: 0)
        let blocks: [(String, Module & Layer)] = [("basic", BasicBlock(8, 8, stride: 2, norm: .batch, rng: &rng)),
                                                  ("bottleneck", Bottleneck(16, 4, stride: 2, norm: .batch, rng: &rng))]
        for (name, block) in blocks {
            var state: [String: Tensor] = [:]
            for (key, tensor) in t where key.hasPrefix(name + ".") && !key.hasSuffix(".input") && !key.hasSuffix(".output") {
                let ours = try #require(ResNet.name(forTorchvision: "layer1.0." + key.dropFirst(name.count + 1)))
                state[String(ours.dropFirst("layer1.0.".count))] = tensor
            }
            try block.load(state: state)
            block.train(false)
            let y = GradMode.withoutGrad { block(t[name + ".input"]!) }
            let want = t[name + ".output"]!
            #expect(y.shape == want.shape)
            let worst = zip(y.data, want.data).map { Swift.abs($0 - $1) }.max() ?? 1
            #expect(worst < 1e-4, "\(name): largest difference \(worst)")
        }
    }

    @Test func malformedFilesNameTheProblem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ bytes: [UInt8]) throws -> URL {
            let url = dir.appendingPathComponent("bad.safetensors")
            try Data(bytes).write(to: url)
            return url
        }
        func reason(_ url: URL) -> String? {
            do { _ = try SafeTensors.read(url); return nil } catch { return (error as? SafeTensors.ReadError)?.description }
        }
        #expect(reason(try write([1, 2, 3]))?.contains("too short") == true)
        #expect(reason(try write([200, 0, 0, 0, 0, 0, 0, 0, 123]))?.contains("exceeds the file") == true)
        let header = Array(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#.utf8)
        let url = try write([UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header + [UInt8](repeating: 0, count: 8))
        #expect(reason(url)?.contains("tensor 'w': offsets [0, 8] do not hold [3] values of F32") == true)
        #expect(reason(dir.appendingPathComponent("absent.safetensors"))?.contains("cannot be read") == true)
    }

    /// Every tensor of torchvision's resnet18 and resnet50 state dicts (names and shapes dumped
    /// from torchvision 0.29) maps to exactly one tensor of this ResNet with the same shape, and
    /// nothing of the backbone is left out; `fc.*` and `num_batches_tracked` map to nothing.
    @Test(arguments: [18, 50]) func torchvisionNamesCoverTheBackbone(_ depth: Int) throws {
        let json = try Data(contentsOf: Self.fixture("torchvision-resnet\(depth)-shapes.json"))
        let shapes = try JSONDecoder().decode([String: [Int]].self, from: json)
        var rng = RNG(seed: 0)
        let resnet = ResNet(.init(depth: depth), rng: &rng)
        let mine = resnet.state()
        var mapped: [String: String] = [:]
        for (key, shape) in shapes {
            guard let name = ResNet.name(forTorchvision: key) else {
                #expect(key.hasPrefix("fc.") || key.hasSuffix("num_batches_tracked"), "\(key) maps to nothing")
                continue
            }
            #expect(mapped.updateValue(key, forKey: name) == nil, "two keys map to \(name)")
            #expect(mine[name]?.shape == shape, "\(key) → \(name): \(shape) vs \(mine[name]?.shape ?? [])")
        }
        #expect(Set(mapped.keys) == Set(mine.keys))
        // Loading a state dict with those names fills every tensor (here: all 0.5).
        let state = Dictionary(uniqueKeysWithValues: shapes.map { ($0.key, Tensor(filled: 0.5, shape: $0.value)) })
        try resnet.loadTorchvision(state, source: "resnet\(depth).safetensors")
        #expect(resnet.state().values.allSatisfy { $0.data.allSatisfy { $0 == 0.5 } })
        var partial = state
        partial.removeValue(forKey: "layer1.0.conv1.weight")
        #expect(throws: SafeTensors.ReadError.self) { try resnet.loadTorchvision(partial, source: "resnet\(depth).safetensors") }
        // A deeper network's file (one block more in stage 1) is refused, not silently cut down.
        var deeper = state
        deeper["layer1.7.conv1.weight"] = Tensor(filled: 0.5, shape: [64, 64, 3, 3])
        #expect(throws: SafeTensors.ReadError.self) { try resnet.loadTorchvision(deeper, source: "resnet\(depth).safetensors") }
        // A deformable ResNet-50 takes the same file, its offset branches staying at zero.
        guard depth == 50 else { return }
        var config = ResNet.Config(depth: depth)
        config.deformable = true
        let deformable = ResNet(config, rng: &rng)
        try deformable.loadTorchvision(state, source: "resnet50.safetensors")
        for (name, tensor) in deformable.state() {
            #expect(tensor.data.allSatisfy { $0 == (DeformableConv2d.isOffsetParameter(name) ? 0 : 0.5) }, "\(name)")
        }
        #expect(throws: SafeTensors.ReadError.self) { try deformable.loadTorchvision(partial, source: "resnet50.safetensors") }
    }
}
