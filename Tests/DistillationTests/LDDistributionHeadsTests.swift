import Data
@testable import Detection
import Foundation
import GradientChecking
import NN
import Testing
@testable import Distillation
import Tensor

/// LD on the GFL-ified RetinaNet, FCOS and ATSS of LD's Table 4 (`boxHead: .distribution`).
@Suite("LD on GFL-ified heads") struct LDDistributionHeadsTests {
    static func config(_ kind: DenseDetectorKind, _ head: DenseBoxHead = .distribution, regMax: Int = 8) -> DenseDetectorConfig {
        var c = MethodsFactoryTests.config(kind, regMax: regMax)
        c.boxHead = head
        return c
    }

    func make(_ method: String, _ parameters: [String: MethodParameter] = [:], student: DenseDetectorConfig,
              teacher: DenseDetectorConfig) throws -> LossTerm {
        var rng = RNG(seed: 0)
        return try DistillationMethods.term(method: method, parameters: parameters, student: student, teacher: teacher, rng: &rng)
    }

    @Test func distributionalMethodsAcceptGFLifiedHeadsAndRejectPlainOnes() throws {
        for kind in [DenseDetectorKind.retinanet, .fcos, .atss] {
            for method in ["ld", "tbr", "gi_imitation"] {
                _ = try make(method, student: Self.config(kind), teacher: Self.config(kind))
            }
        }
        func reason(_ student: DenseDetectorConfig, _ teacher: DenseDetectorConfig) -> String? {
            do { _ = try make("ld", student: student, teacher: teacher); return nil } catch {
                guard case .unsupported("ld", let why)? = error as? DistillationMethodError else { return "\(error)" }
                return why
            }
        }
        let plain = try #require(reason(Self.config(.retinanet, .native), Self.config(.retinanet)))
        #expect(plain.contains("box_head: distribution") && plain.contains("retinanet (its native box head)")
                && plain.contains("retinanet (distributions)"), "\(plain)")
        let plainTeacher = try #require(reason(Self.config(.atss), Self.config(.atss, .native)))
        #expect(plainTeacher.hasSuffix("got atss (distributions) and atss (its native box head)"), "\(plainTeacher)")
        #expect(reason(Self.config(.fcos), Self.config(.fcos, regMax: 16))?.contains("same bins") == true)
        #expect(reason(Self.config(.gfl, .native), Self.config(.gfl, .native)) == nil)   // GFL is distributional anyway
    }

    /// The official heads' constants (methods.md D2–D4): LD weight and /4 on the positives; the
    /// VLR's factor in its normaliser (weight·factor/4 overall), weighting and positives.
    @Test func studentDetectorSetsTheDefaults() throws {
        struct Want { let kind: DenseDetectorKind; let ld: Float; let vlrScale: Float; let vlr: ValuableLocalizationRegion; let kdT: Float }
        let wants = [
            Want(kind: .retinanet, ld: 5, vlrScale: 5 * 0.03 / 4, vlr: .init(gamma: 0.25, excludesPositives: true), kdT: 8),
            Want(kind: .atss, ld: 0.25, vlrScale: 0.25 * 0.15 / 4, vlr: .init(gamma: 0.25), kdT: 2),
            Want(kind: .fcos, ld: 0.25, vlrScale: 0.25 * 0.25 / 4,
                 vlr: .init(gamma: 0.25, weighting: .studentScore, excludesPositives: true), kdT: 2),
            Want(kind: .gfl, ld: 0.25, vlrScale: 0.25 / 16, vlr: .init(gamma: 0.25), kdT: 2),
        ]
        for w in wants {
            let (s, t) = (Self.config(w.kind), Self.config(w.kind))
            let main = try #require(try make("ld", ["region": "main", "temperature": 10], student: s, teacher: t) as? LocalizationDistillation)
            #expect(main.lossWeight == w.ld && main.normalizer == 4 && main.mainWeighting == .studentScore, "\(w.kind)")
            let vlr = try #require(try make("ld", ["region": "vlr", "gamma": 0.25], student: s, teacher: t) as? LocalizationDistillation)
            #expect(vlr.region == .valuableLocalization(w.vlr) && vlr.lossWeight == w.ld, "\(w.kind)")
            #expect(Swift.abs(vlr.lossWeight / vlr.normalizer - w.vlrScale) < 1e-6, "\(w.kind): \(vlr.lossWeight / vlr.normalizer)")
            let kd = try #require(try make("kd", ["region": "main"], student: s, teacher: t) as? ClassificationKD)
            #expect(kd.temperature == w.kdT && kd.lossWeight == 10, "\(w.kind)")
        }
        // A table entry still overrides: `weight` is the loss_ld weight, the head factor stays.
        let retina = Self.config(.retinanet)
        let weighted = try #require(try make("ld", ["region": "vlr", "weight": 1], student: retina, teacher: retina) as? LocalizationDistillation)
        #expect(weighted.lossWeight == 1 && Swift.abs(weighted.normalizer - 4 / 0.03) < 1e-4)
        let fcos = Self.config(.fcos)
        let iou = try #require(try make("ld", ["region": "vlr", "weighting": "iou"], student: fcos, teacher: fcos) as? LocalizationDistillation)
        #expect(iou.region == .valuableLocalization(.init(gamma: 0.25, weighting: .iou, excludesPositives: true)))
    }

    /// RetinaNet student, one level of 1×2 locations, stride 8: the 9 anchors at (0, 0) are the
    /// 9 nearest the gt's centre (distance 0; the next location is 8 away). Gt = the ratio-1,
    /// scale-1 anchor [−16, −16, 16, 16]; the concentric anchors' IoUs (ratio ½ and 2 alike):
    /// scale 1: 1 (square), (1/√2)/(2 − 1/√2) = 0.546918; scale 2^⅓: 2^−⅔ = 0.629961, 0.525139;
    /// scale 2^⅔: 2^−4⁄3 = 0.396850 for all three shapes. Mean 0.551625, unbiased std 0.187246:
    /// thr_g = 0.738871.
    @Test func retinaNetThresholdHandWorked() {
        let anchors = AnchorGenerator.retinaNet(strides: [8]).gridPriors(featureSizes: [FeatureSize(height: 1, width: 2)])
        let priors = DenseDetector.Priors(layout: anchors.layout, anchors: anchors.boxes, centers: anchors.centers,
                                          strides: [Float](repeating: 8, count: 18), points: nil)
        let thr = ValuableLocalizationRegion.thresholds(priors: priors, gts: [Box(x1: -16, y1: -16, x2: 16, y2: 16)])
        #expect(thr.count == 1 && close(thr[0], 0.738871, 1e-5), "\(thr)")
    }

    /// FCOS student, 3×3 points of stride 8 at 4, 12, 20; pseudo anchors are 64-px squares on
    /// them. Gt = the 64-px square on the middle point [−20, −20, 44, 44]: IoU 1 there, 56·64/
    /// (2·64² − 56·64) = 7/9 at the 4 edge points, 56²/(2·64² − 56²) = 0.620253 at the 4
    /// corners. Mean 0.732458, std 0.127551: thr_g = 0.860009.
    @Test func fcosThresholdHandWorked() {
        let points = PointGenerator(strides: [8], offset: 0.5).gridPriors(featureSizes: [FeatureSize(height: 3, width: 3)])
        let priors = DenseDetector.Priors(layout: points.layout, anchors: points.points.map { Box(x1: $0.x, y1: $0.y, x2: $0.x, y2: $0.y) },
                                          centers: points.points, strides: [Float](repeating: 8, count: 9), points: points)
        #expect(priors.regionAnchors[4] == Box(x1: -20, y1: -20, x2: 44, y2: 44))
        let thr = ValuableLocalizationRegion.thresholds(priors: priors, gts: [Box(x1: -20, y1: -20, x2: 44, y2: 44)])
        #expect(thr.count == 1 && close(thr[0], 0.860009, 1e-5), "\(thr)")
    }

    /// FCOS's VLR (the entry's γ = 0): with thr 1 the band [0, 1) holds prior 0 (the positive,
    /// DIoU 0.6474; see LDLossTests) and prior 1 (DIoU 0.1375). The FCOS head drops the positive
    /// and weights prior 1 by the student's max class score σ(ln 3) = 0.75, × 0.25 · 0.25 / 4.
    /// ATSS keeps both, weighted by IoU (⅔ and ¼), × 0.25 · 0.15 / 4.
    @Test func fcosAndATSSVLRHandWorked() throws {
        let priors = LDFixture.priors([(1, 2)], strides: [8])
        let truth = [GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 12, y2: 8)], labels: [0])]
        let sReg = randomInput([1, 2, 12], seed: 5).data, tReg = randomInput([1, 2, 12], seed: 6).data
        let student = LDFixture.outputs(priors, cls: [0, 0, Float(Foundation.log(3.0)), -2], reg: sReg)
        let teacher = LDFixture.outputs(priors, cls: [0, 0, 0, 0], reg: tReg)
        let targets = LDFixture.targets(priors, truth: truth, positives: [0], gtOf: [0], thresholds: [[1]])
        let inputs = LDFixture.inputs(student: student, teacher: teacher, targets: targets, truth: truth)
        func kl(_ prior: Int) -> Double {
            let range = (12 * prior)..<(12 * prior + 12)
            return Double(Tensor(shape: [4, 3], data: Array(sReg[range]))
                .temperatureKL(teacher: Tensor(shape: [4, 3], data: Array(tReg[range])), temperature: 10, rowWeights: [1, 1, 1, 1]).item)
        }
        let fcos = Self.config(.fcos, regMax: 2), atss = Self.config(.atss, regMax: 2)
        let fcosTerm = try make("ld", ["region": "vlr", "gamma": 0], student: fcos, teacher: fcos)
        #expect(close(fcosTerm.losses(inputs)["loss_ld_vlr"]!.item, 0.75 * kl(1) * 0.25 * 0.25 / 4))
        let atssTerm = try make("ld", ["region": "vlr", "gamma": 0], student: atss, teacher: atss)
        #expect(close(atssTerm.losses(inputs)["loss_ld_vlr"]!.item, (2.0 / 3 * kl(0) + 0.25 * kl(1)) * 0.25 * 0.15 / 4))
    }

    /// The main-region fixture of `LDLossTests.mainRegionLDHandWorked`: one positive (prior 0),
    /// n = 2, teacher logits 0, student logit 10·ln 2 on the first bin of side l, class logits
    /// (0, −1) → weight σ(0) = 0.5; prior 1 differs but is not positive.
    static func mainRegionInputs() -> LossTermInputs {
        let priors = LDFixture.priors([(1, 2)], strides: [8])
        let truth = [GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 16, y2: 8)], labels: [0])]
        var sReg = [Float](repeating: 0, count: 2 * 12), tReg = sReg
        sReg[0] = Float(10 * Foundation.log(2.0))
        sReg[12 + 4] = 3; tReg[12 + 4] = -3
        let student = LDFixture.outputs(priors, cls: [0, -1, 5, 5], reg: sReg)
        let teacher = LDFixture.outputs(priors, cls: [3, 3, 3, 3], reg: tReg)
        let targets = LDFixture.targets(priors, truth: truth, positives: [0], gtOf: [0])
        return LDFixture.inputs(student: student, teacher: teacher, targets: targets, truth: truth)
    }

    /// LD's RetinaNet head (`LDRetinaHead.loss_single`) hands `KnowledgeDistillationKLDivLoss`
    /// rows of 4·(n + 1) = 12 logits: one softmax over the prior's 12 logits together. τ = 10.
    /// Teacher: all 0 → p = 1/12 each. Student: (10·ln 2, 0, …, 0) → q = (2/13, 1/13 × 11).
    /// KL = 1/12·[ln((1/12)/(2/13)) + 11·ln((1/12)/(1/13))] = (ln(13/24) + 11·ln(13/12))/12
    /// = 0.0222804; mean over the 12 entries × τ²: 0.0222804 · 100/12 = 0.185670.
    /// × weight 0.5 × loss weight 5 / 4 = 0.116044 (per side it would be 5·0.5·1.887767/4 = 1.179854).
    @Test func retinaNetLDIsOneSoftmaxPerPriorHandWorked() throws {
        let inputs = Self.mainRegionInputs()
        let retina = Self.config(.retinanet, regMax: 2)
        let term = try #require(try make("ld", ["region": "main", "temperature": 10], student: retina, teacher: retina)
                                as? LocalizationDistillation)
        #expect(term.rows == .perPrior)
        #expect(close(term.losses(inputs)["loss_ld"]!.item, 0.116044))
        // The same logits per side (the other heads' form) give about ten times that.
        term.rows = .perSide
        #expect(close(term.losses(inputs)["loss_ld"]!.item, 1.179854))
    }

    /// RetinaNet's VLR LD is the same per-prior KL × 0.03: band as in `LDLossTests.vlrLDUsesIoUWeights`
    /// (prior 1, IoU weight 0.25; the positive prior 0 is outside it anyway), random logits, the
    /// 12-logit KL written out here from its definition.
    @Test func retinaNetVLRLDIsPerPrior() throws {
        let (inputs, sReg, tReg) = LDFixture.vlrBand()
        let t = 10.0
        let zs = sReg[12..<24].map { Double($0) / t }, zt = tReg[12..<24].map { Double($0) / t }
        let ls = Foundation.log(zs.map(Foundation.exp).reduce(0, +)), lt = Foundation.log(zt.map(Foundation.exp).reduce(0, +))
        let kl = (0..<12).map { k in Foundation.exp(zt[k] - lt) * ((zt[k] - lt) - (zs[k] - ls)) }.reduce(0, +)
        let retina = Self.config(.retinanet, regMax: 2)
        let term = try make("ld", ["region": "vlr", "gamma": 0.25], student: retina, teacher: retina)
        #expect(close(term.losses(inputs)["loss_ld_vlr"]!.item, 0.25 * kl / 12 * t * t * 5 * 0.03 / 4))
    }

    /// GFL, ATSS and FCOS students keep the per-side form: the main-region fixture's value is
    /// `LDLossTests.mainRegionLDHandWorked`'s 0.0589927 through the factory too.
    @Test(arguments: [DenseDetectorKind.gfl, .atss, .fcos]) func otherStudentsKeepPerSideRows(_ kind: DenseDetectorKind) throws {
        let c = Self.config(kind, regMax: 2)
        let term = try #require(try make("ld", ["region": "main", "temperature": 10], student: c, teacher: c) as? LocalizationDistillation)
        #expect(term.rows == .perSide)
        #expect(close(term.losses(Self.mainRegionInputs())["loss_ld"]!.item, 0.0589927))
        let vlr = try #require(try make("ld", ["region": "vlr"], student: c, teacher: c) as? LocalizationDistillation)
        #expect(vlr.rows == .perSide)
    }

    /// Table 4's scheme (LD main + VLR LD + KD) on each GFL-ified detector, from an untrained
    /// GFL-ified teacher of the same kind: 2 iterations at batch 2 on 64-px scenes.
    @Test(arguments: [DenseDetectorKind.retinanet, .fcos, .atss]) func tableFourSchemeTrains(_ kind: DenseDetectorKind) throws {
        var scenes = SyntheticSceneConfig()
        scenes.imageWidth = 64; scenes.imageHeight = 64; scenes.trainCount = 4; scenes.valCount = 1
        let (train, _) = SyntheticScenes.splits(scenes)
        var student = DenseDetectorConfig(kind: kind, numClasses: train.numClasses,
                                          backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        student.fpnChannels = 16; student.headChannels = 16; student.stackedConvs = 1; student.regMax = 8
        student.boxHead = .distribution
        var teacher = student
        teacher.fpnChannels = 24; teacher.headChannels = 24
        var rng = RNG(seed: 5)
        let teacherModel = DenseDetector(teacher, rng: &rng)
        teacherModel.freeze()
        let model = DenseDetector(student, rng: &rng)
        let entries: [(String, [String: MethodParameter])] = [
            ("ld", ["region": "main", "temperature": 10]), ("ld", ["region": "vlr", "temperature": 10, "gamma": 0.25]),
            ("kd", ["region": "main"])]
        let terms = try entries.map { try DistillationMethods.term(method: $0.0, parameters: $0.1, student: student, teacher: teacher, rng: &rng) }
        let logged = try trainTwoIterations(model, on: train, terms: terms, teacher: teacherModel)
        #expect(logged.count == 2)
        for losses in logged {
            for key in ["loss_cls", "loss_bbox", "loss_ld", "loss_ld_vlr", "loss_kd"] {
                #expect(losses[key] != nil, "\(kind): \(key) missing from \(losses.keys.sorted())")
            }
            #expect(losses["loss_dfl"] == nil && losses.values.allSatisfy(\.isFinite), "\(kind): \(losses)")
        }
        #expect(logged.contains { $0["loss_ld"]! > 0 && $0["loss_ld_vlr"]! > 0 }, "\(kind): \(logged)")
    }
}
