import Data
import Detection
import Foundation
import NN
import Testing
@testable import Distillation
import Tensor

@Suite("Distillation terms: training smoke") struct MethodsTrainingSmokeTests {
    struct Entry: Sendable, CustomStringConvertible {
        let method: String
        let parameters: [String: MethodParameter]
        let key: String
        var description: String { "\(method) \(parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })" }
    }

    static let entries: [Entry] = [
        Entry(method: "ld", parameters: ["region": "main", "temperature": 10], key: "loss_ld"),
        Entry(method: "ld", parameters: ["region": "vlr", "temperature": 10, "gamma": 0.25], key: "loss_ld_vlr"),
        Entry(method: "kd", parameters: ["region": "main"], key: "loss_kd"),
        Entry(method: "kd", parameters: ["region": "vlr", "gamma": 0.25], key: "loss_kd_vlr"),
        Entry(method: "tbr", parameters: ["region": "main", "epsilon": 0.1], key: "loss_tbr"),
        Entry(method: "fitnet", parameters: [:], key: "loss_im"),
        Entry(method: "inside_gt_box", parameters: [:], key: "loss_im"),
        Entry(method: "main_region", parameters: [:], key: "loss_im"),
        Entry(method: "fine_grained", parameters: [:], key: "loss_im"),
        Entry(method: "defeat", parameters: [:], key: "loss_im"),
        Entry(method: "gi_imitation", parameters: [:], key: "loss_im"),
    ]

    /// A tiny GFL student (FPN 16) and an untrained teacher with wider FPN and head (24, so the
    /// feature terms go through adapters), 64-px synthetic scenes, 2 iterations at batch 2.
    @Test(arguments: entries) func termTrainsTwoIterations(_ entry: Entry) throws {
        var scenes = SyntheticSceneConfig()
        scenes.imageWidth = 64; scenes.imageHeight = 64; scenes.trainCount = 4; scenes.valCount = 1
        let (train, _) = SyntheticScenes.splits(scenes)
        var student = DenseDetectorConfig(kind: .gfl, numClasses: train.numClasses,
                                          backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        student.fpnChannels = 16; student.headChannels = 16; student.stackedConvs = 1; student.regMax = 8
        var teacher = student
        teacher.fpnChannels = 24; teacher.headChannels = 24
        var rng = RNG(seed: 5)
        let teacherModel = DenseDetector(teacher, rng: &rng)
        teacherModel.freeze()
        let model = DenseDetector(student, rng: &rng)
        let term = try DistillationMethods.term(method: entry.method, parameters: entry.parameters, student: student,
                                                teacher: teacher, rng: &rng)
        let logged = try trainTwoIterations(model, on: train, terms: [term], teacher: teacherModel)
        #expect(logged.count == 2)
        for losses in logged {
            #expect(losses[entry.key] != nil, "\(entry.key) missing from \(losses.keys.sorted())")
            #expect(losses.values.allSatisfy(\.isFinite) && losses["loss_cls"] != nil)
        }
        if entry.key == "loss_ld" || entry.method == "fitnet" { #expect(logged.contains { $0[entry.key]! > 0 }) }
    }
}
