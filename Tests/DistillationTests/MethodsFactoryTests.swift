import Detection
import Foundation
import NN
import Testing
@testable import Distillation
import Tensor

@Suite("Distillation method factory") struct MethodsFactoryTests {
    static func config(_ kind: DenseDetectorKind = .gfl, regMax: Int = 8, fpn: Int = 16) -> DenseDetectorConfig {
        var c = DenseDetectorConfig(kind: kind, numClasses: 4, backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        c.regMax = regMax; c.fpnChannels = fpn
        return c
    }

    func make(_ method: String, _ parameters: [String: MethodParameter] = [:], student: DenseDetectorConfig = Self.config(),
              teacher: DenseDetectorConfig? = config()) throws -> LossTerm {
        var rng = RNG(seed: 0)
        return try DistillationMethods.term(method: method, parameters: parameters, student: student, teacher: teacher, rng: &rng)
    }

    /// Every distillation entry of `tables/ld/*.yaml` (flow mappings `{method: …, …}`) makes a term.
    @Test func everyLDTableEntryMakesATerm() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../tables/ld")
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { $0.pathExtension == "yaml" }
        var seen = Set<String>()
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                guard let open = line.range(of: "{method:"), let close = line.range(of: "}", range: open.upperBound..<line.endIndex)
                else { continue }
                var fields: [String: MethodParameter] = [:]
                for pair in line[open.lowerBound..<close.lowerBound].dropFirst().split(separator: ",") {
                    let kv = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    fields[kv[0]] = Double(kv[1]).map(MethodParameter.number) ?? .text(kv[1])
                }
                guard case .text(let method)? = fields.removeValue(forKey: "method") else { Issue.record("\(line)"); continue }
                _ = try make(method, fields)
                seen.insert(method)
            }
        }
        #expect(seen == ["ld", "kd", "tbr", "fitnet", "inside_gt_box", "main_region", "fine_grained", "defeat", "gi_imitation"])
    }

    @Test func entriesMapToTheRightTerms() throws {
        let ld = try #require(try make("ld", ["region": "vlr", "temperature": 10, "gamma": 0.5]) as? LocalizationDistillation)
        #expect(ld.region == .valuableLocalization(.init(gamma: 0.5)) && ld.temperature == 10 && ld.lossWeight == 0.25
                && ld.normalizer == 16 && ld.lossName == "loss_ld_vlr")
        let main = try #require(try make("ld", ["region": "main", "temperature": 5]) as? LocalizationDistillation)
        #expect(main.region == .main && main.temperature == 5 && main.normalizer == 4 && main.mainWeighting == .studentScore)
        let paper = try #require(try make("ld", ["region": "vlr", "weighting": "indicator"]) as? LocalizationDistillation)
        #expect(paper.region == .valuableLocalization(.init(gamma: 0.25, weighting: .indicator)))
        let kd = try #require(try make("kd", ["region": "main"]) as? ClassificationKD)
        #expect(kd.temperature == 2 && kd.lossWeight == 10 && kd.lossName == "loss_kd")
        let retinaKD = try #require(try make("kd", [:], student: Self.config(.retinanet), teacher: Self.config(.retinanet)) as? ClassificationKD)
        #expect(retinaKD.temperature == 8)
        let rotatedKD = try #require(try make("kd", [:], student: Self.config(.gwd), teacher: Self.config(.rotatedRetinanet)) as? ClassificationKD)
        #expect(rotatedKD.temperature == 5 && rotatedKD.lossWeight == 20)
        let tbr = try #require(try make("tbr", ["region": "main", "epsilon": 0.3]) as? TeacherBoundedRegression)
        #expect(tbr.epsilon == 0.3 && tbr.lossWeight == 2)
        let regions: [(String, FeatureImitation.Region)] = [
            ("fitnet", .wholeMap), ("inside_gt_box", .insideGTBox), ("main_region", .mainRegion),
            ("fine_grained", .fineGrained(ratio: 0.5)), ("defeat", .deFeat(DeFeatMask())),
            ("gi_imitation", .generalInstance(GeneralInstanceSelection()))]
        for (name, region) in regions {
            let fi = try #require(try make(name) as? FeatureImitation)
            #expect(fi.region == region && fi.lossWeight == 2 && fi.adapters.isEmpty, "\(name)")
        }
        let ldDeFeat = try #require(try make("defeat", ["variant": "ld_code", "weight": 1]) as? FeatureImitation)
        #expect(ldDeFeat.region == .decoupledInsideGT && ldDeFeat.lossWeight == 1)
        #expect(throws: DistillationMethodError.self) { try make("defeat", ["variant": "ld_code", "foreground_weight": 3]) }
        #expect(throws: DistillationMethodError.self) { try make("defeat", ["weight": 3]) }
        #expect(throws: DistillationMethodError.self) { try make("defeat", ["variant": "mmdet"]) }
        let adapted = try #require(try make("fitnet", [:], teacher: Self.config(fpn: 24)) as? FeatureImitation)
        #expect(adapted.adapters.count == 5 && adapted.adapters[0].weight.shape == [24, 16, 1, 1])
    }

    @Test func clearErrors() {
        func error(_ method: String, _ p: [String: MethodParameter] = [:], student: DenseDetectorConfig = Self.config(),
                   teacher: DenseDetectorConfig? = Self.config()) -> DistillationMethodError? {
            do { _ = try make(method, p, student: student, teacher: teacher); return nil } catch { return error as? DistillationMethodError }
        }
        let unknown = error("lgd")
        #expect(unknown == .unknownMethod("lgd", known: DistillationMethods.names))
        #expect(unknown?.description.contains("'lgd'") == true)
        let tau = error("ld", ["tau": 10])
        #expect({ if case .unknownParameter("ld", "tau", _)? = tau { true } else { false } }())
        #expect(tau?.description.contains("'tau'") == true)
        #expect({ if case .invalidParameter("ld", "gamma", _)? = error("ld", ["region": "main", "gamma": 0.25]) { true } else { false } }())
        #expect({ if case .invalidParameter("kd", "region", _)? = error("kd", ["region": "everywhere"]) { true } else { false } }())
        #expect({ if case .invalidParameter("tbr", "region", _)? = error("tbr", ["region": "vlr"]) { true } else { false } }())
        #expect({ if case .invalidParameter("ld", "temperature", _)? = error("ld", ["temperature": "hot"]) { true } else { false } }())
        #expect({ if case .unsupported("ld", _)? = error("ld", student: Self.config(.atss)) { true } else { false } }())
        #expect({ if case .unsupported("ld", _)? = error("ld", teacher: Self.config(regMax: 16)) { true } else { false } }())
        #expect({ if case .unsupported("gi_imitation", _)? = error("gi_imitation", teacher: Self.config(.retinanet)) { true } else { false } }())
        #expect({ if case .unsupported("fitnet", _)? = error("fitnet", teacher: nil) { true } else { false } }())
        #expect({ if case .unsupported("kd", _)? = error("kd", teacher: Self.config(.retinanet)) { true } else { false } }())
        var fewer = Self.config()
        fewer.numClasses = 3
        #expect({ if case .unsupported("kd", _)? = error("kd", teacher: fewer) { true } else { false } }())
        #expect(error("fitnet", teacher: Self.config(.retinanet)) == nil)   // features only: any dense teacher
        // Rotated students: no VLR (no ATSS threshold), no side-distance methods, no axis-aligned teacher.
        var rotated = Self.config(.gwd)
        rotated.boxHead = .distribution
        #expect({ if case .invalidParameter("ld", "region", _)? = error("ld", ["region": "vlr"], student: rotated, teacher: rotated) { true } else { false } }())
        #expect({ if case .unsupported("tbr", _)? = error("tbr", student: rotated, teacher: rotated) { true } else { false } }())
        #expect({ if case .invalidParameter("kd", "region", _)? = error("kd", ["region": "vlr"], student: rotated, teacher: rotated) { true } else { false } }())
        #expect({ if case .unsupported("ld", _)? = error("ld", student: rotated, teacher: Self.config(.retinanet)) { true } else { false } }())
        #expect({ if case .unsupported("ld", _)? = error("ld", student: rotated, teacher: Self.config(.gwd)) { true } else { false } }())
    }
}
