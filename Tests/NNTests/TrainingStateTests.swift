import Foundation
import Testing
@testable import NN
import Tensor

/// Determinism and checkpoint/resume: the same seed gives the same parameters, and a run killed
/// and resumed from a checkpoint ends with exactly the numbers of an uninterrupted one.
@Suite("Training state") struct TrainingStateTests {
    final class Tiny: Module {
        let body: ConvNormAct, head: Conv2d
        init(rng: inout RNG) {
            body = ConvNormAct(3, 8, kernel: 3, stride: 2, rng: &rng)
            head = Conv2d(8, 2, kernel: 1, rng: &rng)
            super.init()
            child("body", body); child("head", head)
        }
        func callAsFunction(_ x: Tensor) -> Tensor { head(body(x)) }
    }

    /// Trains `steps` iterations from `start`, drawing each batch from `data` (an RNG stream that
    /// the checkpoint carries), with SGD on the body and AdamW on the head.
    func train(_ model: Tiny, _ sgd: SGD, _ adam: AdamW, data: inout RNG, from start: Int, to end: Int,
               schedule: LearningRateSchedule) {
        for it in start..<end {
            sgd.learningRate = schedule.learningRate(at: it)
            let x = Tensor(normal: [2, 3, 8, 8], rng: &data)
            let target = Tensor(normal: [2, 2, 4, 4], rng: &data)
            sgd.zeroGrad(); adam.zeroGrad()
            (model(x) - target).square().mean().backward()
            clipGradientNorm(model.parameters, maxNorm: 5)
            sgd.step(); adam.step()
        }
    }

    func make(seed: UInt64) -> (Tiny, SGD, AdamW) {
        var rng = RNG(seed: seed)
        let model = Tiny(rng: &rng)
        let sgd = SGD(model.body.parameters, learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4)
        let adam = AdamW(model.head.parameters, learningRate: 0.01)
        return (model, sgd, adam)
    }

    let schedule = LearningRateSchedule(baseLearningRate: 0.05, warmupIterations: 3, decay: .step(milestones: [6], gamma: 0.1))

    @Test func sameSeedSameParameters() {
        var runs: [[Float]] = []
        for _ in 0..<2 {
            let (m, s, a) = make(seed: 7)
            var data = RNG(seed: 70)
            train(m, s, a, data: &data, from: 0, to: 5, schedule: schedule)
            runs.append(m.parameters.flatMap(\.data))
        }
        #expect(runs[0] == runs[1])
        let (m, s, a) = make(seed: 8)
        var data = RNG(seed: 70)
        train(m, s, a, data: &data, from: 0, to: 5, schedule: schedule)
        #expect(m.parameters.flatMap(\.data) != runs[0])
    }

    @Test func resumeFromCheckpointMatchesUninterruptedRun() throws {
        let (m1, s1, a1) = make(seed: 9)
        var data1 = RNG(seed: 90)
        train(m1, s1, a1, data: &data1, from: 0, to: 10, schedule: schedule)

        let (m2, s2, a2) = make(seed: 9)
        var data2 = RNG(seed: 90)
        train(m2, s2, a2, data: &data2, from: 0, to: 4, schedule: schedule)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint(iteration: 4, model: m2, optimizers: ["sgd": s2, "adam": a2], rngs: ["data": data2]).write(to: url)

        // A fresh process's view: new objects with a different seed, everything from the file.
        let (m3, s3, a3) = make(seed: 12345)
        let loaded = try Checkpoint.read(from: url)
        try loaded.restore(model: m3, optimizers: ["sgd": s3, "adam": a3])
        var data3 = try #require(loaded.rngs["data"])
        train(m3, s3, a3, data: &data3, from: loaded.iteration, to: 10, schedule: schedule)

        #expect(m3.parameters.flatMap(\.data) == m1.parameters.flatMap(\.data))
        #expect(m3.namedBuffers().flatMap(\.tensor.data) == m1.namedBuffers().flatMap(\.tensor.data))
    }

    @Test func corruptCheckpointGivesAClearError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([1, 2, 3]).write(to: url)
        #expect(throws: CheckpointError.self) { try Checkpoint.read(from: url) }
        let missing = url.appendingPathExtension("missing")
        #expect(throws: CheckpointError.self) { try Checkpoint.read(from: missing) }
    }

    @Test func loadingIntoAnotherArchitectureFails() throws {
        var rng = RNG(seed: 1)
        let model = Tiny(rng: &rng)
        var state = model.state()
        state["extra.weight"] = Tensor(zeros: [1])
        #expect(throws: ModuleError.self) { try model.load(state: state) }
    }
}
