import Foundation
import NN
import Tensor

/// The reference "tiny dense detector": ResNet-18 layout at width 16 with a 3×3 stride-2 stem,
/// FPN on C3–C5 (64 channels), and a shared head with GroupNorm towers (10 class logits, 4×8
/// distribution bins). Loss: per-level MSE against fixed random targets; SGD with momentum.
final class TinyDetector: Module {
    let backbone: ResNet, fpn: FPN
    let clsTower = Sequential(), regTower = Sequential()
    let clsOut: Conv2d, regOut: Conv2d

    init(classes: Int = 10, bins: Int = 8, rng: inout RNG) {
        var config = ResNet.Config(depth: 18, widthMultiplier: 0.25, stem: .compact)
        config.norm = .batch
        backbone = ResNet(config, rng: &rng)
        fpn = FPN(inChannels: Array(backbone.outChannels.dropFirst()), outChannels: 64, rng: &rng)
        for tower in [clsTower, regTower] {
            for _ in 0..<2 {
                tower.append(Conv2d(64, 64, kernel: 3, rng: &rng))
                tower.append(GroupNorm(groups: 16, channels: 64))
                tower.append(ReLU())
            }
        }
        clsOut = Conv2d(64, classes, kernel: 3, rng: &rng)
        regOut = Conv2d(64, 4 * bins, kernel: 3, rng: &rng)
        super.init()
        child("backbone", backbone); child("fpn", fpn)
        child("cls_tower", clsTower); child("reg_tower", regTower)
        child("cls_out", clsOut); child("reg_out", regOut)
    }

    func callAsFunction(_ x: Tensor) -> [(Tensor, Tensor)] {
        fpn(Array(backbone(x).dropFirst())).map { p in (clsOut(clsTower(p)), regOut(regTower(p))) }
    }
}

struct TrainStepBenchmark {
    let batch: Int

    func measure(warmup: Int, steps: Int) -> (parameters: Int, secondsPerStep: Double) {
        var rng = RNG(seed: 0)
        let model = TinyDetector(rng: &rng)
        let optimizer = SGD(model.parameters, learningRate: 0.01, momentum: 0.9, weightDecay: 1e-4)
        let x = Tensor(normal: [batch, 3, 128, 128], rng: &rng)
        let targets = GradMode.withoutGrad { model(x) }.map { c, r in
            (Tensor(normal: c.shape, rng: &rng), Tensor(normal: r.shape, rng: &rng))
        }
        func step() {
            optimizer.zeroGrad()
            var loss: Tensor?
            for ((c, r), (tc, tr)) in zip(model(x), targets) {
                let term = (c - tc).square().mean() + (r - tr).square().mean()
                loss = loss.map { $0 + term } ?? term
            }
            loss!.backward()
            optimizer.step()
        }
        for _ in 0..<warmup { step() }
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps { step() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (model.parameterCount, seconds / Double(steps))
    }
}
