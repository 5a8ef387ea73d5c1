import Testing
@testable import NN
import Tensor

@Suite("Backbones and necks") struct ArchitectureTests {
    /// Parameter counts equal torchvision's (classifier excluded), so the layouts are the papers'.
    @Test(arguments: [(18, 11_176_512), (34, 21_284_672), (50, 23_508_032), (101, 42_500_160), (152, 58_143_808)])
    func resnetParameterCounts(_ depth: Int, _ expected: Int) {
        var rng = RNG(seed: 0)
        #expect(ResNet(.init(depth: depth), rng: &rng).parameterCount == expected)
    }

    /// mmdet's "dconv_c3-c5": each of the 13 bottlenecks of stages 2–4 (planes 128, 256, 512)
    /// adds an offset convolution of 18 × planes × 3 × 3 weights and 18 biases to ResNet-50.
    @Test func deformableResNet50ParameterCount() {
        var rng = RNG(seed: 0)
        var config = ResNet.Config(depth: 50)
        config.deformable = true
        let offsets = 18 * 9 * (128 * 4 + 256 * 6 + 512 * 3) + 18 * 13
        #expect(ResNet(config, rng: &rng).parameterCount == 23_508_032 + offsets)
    }

    /// With its offsets at zero a deformable ResNet loaded from a plain one's weights computes
    /// the plain one's features; a strict load refuses the plain weights.
    @Test func deformableResNetStartsAsThePlainOne() throws {
        var rng = RNG(seed: 3)
        var config = ResNet.Config(depth: 50, widthMultiplier: 0.125, stem: .compact)
        let plain = ResNet(config, rng: &rng)
        config.deformable = true
        let deformable = ResNet(config, rng: &rng)
        #expect(throws: ModuleError.self) { try deformable.load(state: plain.state()) }
        try deformable.load(state: plain.state(), mayKeepOwn: DeformableConv2d.isOffsetParameter)
        #expect(deformable.namedParameters().filter { DeformableConv2d.isOffsetParameter($0.name) }.count == 13 * 2)
        let x = Tensor(uniform: [2, 3, 24, 24], low: -1, high: 1, rng: &rng)
        for (a, b) in zip(plain(x), deformable(x)) {
            // Summation order differs (gathered columns vs im2col); batch statistics over the
            // few C5 locations magnify it to about 1e-4.
            let worst = zip(a.data, b.data).map { abs($0 - $1) / Swift.max(1, abs($0)) }.max() ?? 1
            #expect(a.shape == b.shape && worst < 1e-3)
        }
    }

    /// Res2Net 26w×4s without the classifier, as timm's `res2net50_26w_4s` / `res2net101_26w_4s`
    /// count them (mmdet's v1d variant differs only in its deep stem; average-pooled shortcuts
    /// add no parameters).
    @Test(arguments: [(50, 23_650_120), (101, 43_157_688)])
    func res2NetParameterCounts(_ depth: Int, _ expected: Int) {
        var rng = RNG(seed: 0)
        var config = ResNet.Config(depth: depth)
        config.res2Net = Res2NetShape()
        #expect(ResNet(config, rng: &rng).parameterCount == expected)
    }

    /// Odd sizes: the pooled last group and the ceil-mode pooled shortcut keep the strided
    /// convolutions' output sizes.
    @Test func res2NetOutputsAtOddSizes() {
        var rng = RNG(seed: 4)
        var config = ResNet.Config(depth: 50, widthMultiplier: 0.25, stem: .compact)
        config.res2Net = Res2NetShape()
        config.deformable = true
        let net = ResNet(config, rng: &rng)
        for (h, w) in [(27, 33), (32, 32)] {
            let outs = net(Tensor(zeros: [1, 3, h, w]))
            #expect(outs.map { Array($0.shape[2...]) } == (0..<4).map {
                [(h + net.outStrides[$0] - 1) / net.outStrides[$0], (w + net.outStrides[$0] - 1) / net.outStrides[$0]]
            })
        }
    }

    @Test func mobileNetV2ParameterCounts() {
        var rng = RNG(seed: 0)
        // torchvision features without the final 1×1 conv to 1280 channels.
        #expect(MobileNetV2(widthMultiplier: 1, rng: &rng).parameterCount == 1_811_712)
        #expect(MobileNetV2(widthMultiplier: 0.5, rng: &rng).parameterCount == 480_320)
    }

    @Test func resnetOutputsAtEveryInputSize() {
        var rng = RNG(seed: 1)
        let net = ResNet(.init(depth: 50, widthMultiplier: 0.125, stem: .compact), rng: &rng)
        #expect(net.outChannels == [32, 64, 128, 256] && net.outStrides == [2, 4, 8, 16])
        for (h, w) in [(32, 32), (40, 24)] {
            let outs = net(Tensor(zeros: [1, 3, h, w]))
            #expect(outs.map { Array($0.shape[1...]) } == (0..<4).map { [net.outChannels[$0], (h + net.outStrides[$0] - 1) / net.outStrides[$0], (w + net.outStrides[$0] - 1) / net.outStrides[$0]] })
        }
    }

    @Test func mobileNetV2Outputs() {
        var rng = RNG(seed: 2)
        let net = MobileNetV2(widthMultiplier: 0.5, rng: &rng)
        let outs = net(Tensor(zeros: [1, 3, 64, 64]))
        #expect(outs.map(\.shape) == [[1, 16, 16, 16], [1, 16, 8, 8], [1, 48, 4, 4], [1, 160, 2, 2]])
    }

    @Test func fpnVariants() {
        var rng = RNG(seed: 3)
        let c = [Tensor(zeros: [1, 8, 16, 16]), Tensor(zeros: [1, 16, 8, 8]), Tensor(zeros: [1, 32, 4, 4])]
        let retina = FPN(inChannels: [8, 16, 32], outChannels: 12, extraLevels: 2, extra: .convOnInput, rng: &rng)
        #expect(retina(c).map(\.shape) == [[1, 12, 16, 16], [1, 12, 8, 8], [1, 12, 4, 4], [1, 12, 2, 2], [1, 12, 1, 1]])
        let gfl = FPN(inChannels: [8, 16, 32], outChannels: 12, extraLevels: 2, extra: .convOnOutput, rng: &rng)
        #expect(gfl(c).count == 5)
        let rcnn = FPN(inChannels: [8, 16, 32], outChannels: 12, extraLevels: 1, extra: .maxPool, rng: &rng)
        #expect(rcnn(c).map(\.shape).last == [1, 12, 2, 2])
    }

    @Test func freezingStopsGradients() {
        var rng = RNG(seed: 4)
        var config = ResNet.Config(depth: 18, widthMultiplier: 0.125, stem: .compact)
        config.frozenStages = 1
        let net = ResNet(config, rng: &rng)
        let frozen = net.namedParameters().filter { !$0.tensor.requiresGrad }.map(\.name)
        #expect(frozen.allSatisfy { $0.hasPrefix("stem.") || $0.hasPrefix("layer1.") } && !frozen.isEmpty)
        let loss = net(Tensor(normal: [2, 3, 16, 16], rng: &rng)).last!.sum()
        loss.backward()
        for (name, p) in net.namedParameters() {
            #expect((p.grad != nil) == !frozen.contains(name), "\(name)")
        }
    }
}
