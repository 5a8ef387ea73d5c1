import Data
import Detection
import Distillation
import Evaluation
import Foundation
import NN
import Tensor

/// Trains and evaluates runs with the project's own dense detectors.
///
/// Supported today: RetinaNet, FCOS, ATSS, GFL, GFocalV2 (the first three also with the
/// GFL-ified `box_head: distribution`), OTA, PAA, AutoAssign, BorderDet, SAPD (no
/// distillation into or from these five) and the rotated RetinaNet and GWD, on ResNet or
/// MobileNetV2 analogues, on the synthetic scenes (standard, VOC-like, oriented), and at full
/// scale on COCO and VOC under `dataRoot` with torchvision ResNet weights; with the distillation
/// methods `DistillationMethods` builds (LD's family) from a dense teacher. At reduced scale every
/// backbone starts from its cached crop-classification pretraining. Everything else answers "not
/// implemented" with what is missing, so its cells never show a number.
public struct DetectorRunExecutor: RunExecutor {
    /// Where full-scale datasets and ImageNet weights live (`--data-root`); unused below full.
    public var dataRoot: URL

    public init(dataRoot: URL = URL(fileURLWithPath: TableRunRequest.defaultDataRoot)) { self.dataRoot = dataRoot }

    /// Synthetic variants whose metrics this executor computes (COCO AP and VOC-style AP; the
    /// DOTA protocol on the oriented scenes, for rotated detectors only).
    static let syntheticVariants: Set<String> = ["standard", "vocLike", "oriented"]

    public func support(_ spec: RunSpec) -> Support {
        guard DetectorName.kind(spec.detector) != nil else {
            return .notImplemented("detector \(spec.detector): not implemented yet")
        }
        for model in [spec] + (spec.teacher.map { [$0] } ?? []) {
            if let head = model.boxHead, DenseBoxHead(rawValue: head) == nil {
                return .notImplemented("box_head \(head) on \(model.detector): not implemented yet")
            }
        }
        switch spec.backbone.family {
        case .resnet where [18, 34, 50, 101, 152].contains(spec.backbone.depth ?? 0)
            // mmdet's deformable convolutions replace bottlenecks' 3×3 (none in basic blocks).
            && (!spec.backbone.deformable || (spec.backbone.depth ?? 0) >= 50): break
        case .res2net where [50, 101, 152].contains(spec.backbone.depth ?? 0): break
        case .mobileNetV2 where !spec.backbone.deformable: break
        default:
            let what = spec.backbone.deformable ? "\(spec.backbone.name) with deformable convolutions" : spec.backbone.name
            return .notImplemented("backbone \(what): not implemented yet")
        }
        if let variant = spec.dataset.synthetic {
            guard Self.syntheticVariants.contains(variant) else {
                return .notImplemented("dataset \(spec.dataset.name) (synthetic \(variant)): its metrics are not implemented yet")
            }
        } else {
            guard RealDatasets.classCounts[spec.dataset.name] != nil else {
                return .notImplemented("dataset \(spec.dataset.name) at full scale: no reader yet")
            }
            guard spec.backbone.family == .resnet else {
                return .notImplemented("backbone \(spec.backbone.name) at full scale: ImageNet weights are read for torchvision ResNets only")
            }
        }
        // Oriented scenes are scored by the DOTA protocol, which needs oriented detections; a
        // rotated detector needs oriented ground truth (no real dataset with it is read yet).
        let oriented = spec.dataset.synthetic == "oriented"
        if DetectorName.kind(spec.detector)!.isRotated != oriented {
            return .notImplemented("detector \(spec.detector) on dataset \(spec.dataset.name): "
                                   + (oriented ? "axis-aligned detectors are not scored on oriented scenes" : "oriented ground truth is needed"))
        }
        if !spec.distillation.isEmpty {
            do { _ = try Self.terms(spec) } catch {
                return .notImplemented("\(error)")
            }
        }
        if let analysis = spec.analysis { return analysisSupport(spec, analysis) }
        return .supported
    }

    /// Whether an analysis run (`RunAnalysis`) can be measured: a known kind and a dense teacher
    /// whose tensors have the student's shapes (Pearson's r pairs their elements one to one).
    func analysisSupport(_ spec: RunSpec, _ analysis: RunAnalysis) -> Support {
        guard analysis.kind == RunAnalysis.teacherCorrelation else {
            return .notImplemented("analysis \(analysis.kind): not implemented yet")
        }
        guard let teacher = spec.teacher else { return .notImplemented("\(analysis.kind): no teacher to compare with") }
        guard DetectorName.kind(teacher.detector) != nil,
              let s = try? Self.detectorConfig(spec), let t = try? Self.detectorConfig(teacher) else {
            return .supported  // the teacher's own support names what is missing (SupportCheck)
        }
        var differences: [String] = []
        if s.fpnChannels != t.fpnChannels { differences.append("FPN channels \(s.fpnChannels) vs \(t.fpnChannels)") }
        if s.predictsDistributions != t.predictsDistributions || (s.predictsDistributions && s.regMax != t.regMax) {
            differences.append("box outputs per prior differ (n = \(s.predictsDistributions ? "\(s.regMax)" : "none") vs "
                               + "\(t.predictsDistributions ? "\(t.regMax)" : "none"))")
        }
        if s.priorsPerLocation != t.priorsPerLocation { differences.append("priors per location differ") }
        if s.boxValuesPerPrior != t.boxValuesPerPrior { differences.append("oriented and axis-aligned boxes") }
        if spec.backbone.stem != teacher.backbone.stem { differences.append("FPN strides differ (stem)") }
        guard differences.isEmpty else {
            return .notImplemented("\(analysis.kind): student and teacher tensors differ in shape ("
                                   + differences.joined(separator: ", ") + ")")
        }
        return .supported
    }

    /// The distillation terms of a spec, built for its student and teacher; throws what makes
    /// one impossible (an unknown method, a teacher without distributions for LD…).
    static func terms(_ spec: RunSpec) throws -> [LossTerm] {
        guard !spec.distillation.isEmpty else { return [] }
        let student = try detectorConfig(spec)
        guard let teacherSpec = spec.teacher else {
            throw DistillationMethodError.unsupported(method: spec.methods.joined(separator: "+"), reason: "self-distillation (no teacher) is not implemented yet")
        }
        guard DetectorName.kind(teacherSpec.detector) != nil else {
            throw DistillationMethodError.unsupported(method: spec.methods.joined(separator: "+"), reason: "teacher detector \(teacherSpec.detector) is not implemented yet")
        }
        let teacher = try detectorConfig(teacherSpec)
        var rng = RNG(seed: UInt64(spec.seed) &+ 0xAD_A97E)  // adapters: seeded per run
        return try spec.distillation.map { entry in
            guard let fields = entry.map, let method = fields["method"]?.string else {
                throw DistillationMethodError.unknownMethod(entry.description, known: DistillationMethods.names)
            }
            var parameters: [String: MethodParameter] = [:]
            for (key, value) in fields where key != "method" {
                if let number = value.number { parameters[key] = .number(number) } else { parameters[key] = .text(value.description) }
            }
            return try DistillationMethods.term(method: method, parameters: parameters, student: student, teacher: teacher, rng: &rng)
        }
    }

    public func execute(_ spec: RunSpec, context: RunContext) throws -> RunResult {
        if case .notImplemented(let why) = support(spec) { throw RunFailure.other(why) }
        if let analysis = spec.analysis { return try Self.analyse(spec, analysis, context: context, dataRoot: dataRoot) }
        var run = try Self.detectionRun(spec, dataRoot: dataRoot)
        let terms = try Self.terms(spec)
        if let teacherSpec = spec.teacher, !terms.isEmpty {
            guard let weights = context.teacherArtifacts["checkpoint"] else {
                throw RunFailure.other("the teacher run \(teacherSpec.id.prefix(12)) left no checkpoint")
            }
            run.teacher = (try Self.detectorConfig(teacherSpec, numClasses: run.detector.numClasses), weights)
        }
        var metrics: [String: Double] = [:]
        if let recipe = Self.pretrainingRecipe(spec.scale, run: run) {
            let weights = try PretrainedBackbones(directory: context.cacheDirectory, revision: ScaleCalibration.revision).weights(for: run.detector.backbone, recipe: recipe) {
                context.progress(RunProgress(iteration: 0, total: run.training.iterations, message: $0))
            }
            run.pretrainedBackbone = weights
            if let accuracy = PretrainedBackbones.heldOutAccuracy(of: weights) { metrics["pretrain_accuracy"] = 100 * accuracy }
        }
        let checkpoint = context.workDirectory.appendingPathComponent("final.ckpt")
        let curvePoints = ScaleCalibration.numbers(for: spec.scale).curvePoints
        if curvePoints > 0 { run.evaluateEvery = Swift.max(1, run.training.iterations / (curvePoints + 1)) }
        var curve: [Int: [String: Double]] = [:]
        var progressTime = Date.distantPast
        var losses = TrainingLossCurve(iterations: run.training.iterations,
                                       savedWindows: context.workDirectory.appendingPathComponent("loss-windows.json"))
        let outcome = try run.execute(checkpoint: checkpoint, resume: context.resumeCheckpoint, terms: terms, progress: { p in
            losses.add(iteration: p.iteration, losses: p.losses)
            guard Date().timeIntervalSince(progressTime) > 1 || p.iteration == p.total else { return }
            progressTime = Date()
            let total = p.losses.values.reduce(0, +)
            context.progress(RunProgress(iteration: p.iteration, total: p.total, message: String(format: "loss %.3f", total)))
        }, evaluated: { iteration, evaluation in
            curve[iteration] = evaluation.metrics
        })
        metrics.merge(outcome.evaluation.metrics) { $1 }
        metrics.merge(losses.final) { $1 }
        for (iteration, point) in losses.points where iteration < run.training.iterations {
            curve[iteration, default: [:]].merge(point) { $1 }
        }
        metrics["train_hours"] = outcome.trainingSeconds / 3600
        return RunResult(metrics: metrics, artifacts: ["checkpoint": checkpoint],
                         seconds: outcome.trainingSeconds + outcome.evaluationSeconds, curve: curve)
    }

    /// The profile's backbone pretraining for `run`, whose crops look like its scenes; nil where
    /// the profile has none.
    static func pretrainingRecipe(_ scale: ScaleProfile, run: DetectionRun) -> BackbonePretraining? {
        guard let pretraining = ScaleCalibration.numbers(for: scale).pretraining else { return nil }
        var recipe = BackbonePretraining(iterations: pretraining.iterations, batchSize: pretraining.batchSize)
        recipe.cropSize = pretraining.cropSize
        recipe.zeroInitResidual = pretraining.zeroInitResidual
        recipe.scene = (run.train as? SyntheticScenes)?.config ?? recipe.scene
        return recipe
    }

    /// An analysis run: loads the analysed run's and the teacher's final checkpoints and measures
    /// them on the subject's validation split; trains nothing. `teacher_correlation` records
    /// `pearson_features` and `pearson_bbox_logits` (plain r, not percent; left out when no
    /// (image, level) pair has an r) and `pearson_images`.
    static func analyse(_ spec: RunSpec, _ analysis: RunAnalysis, context: RunContext, dataRoot: URL) throws -> RunResult {
        guard let subject = spec.subject, let teacherSpec = spec.teacher else {
            throw RunFailure.other("\(analysis.kind): an analysis run needs the run it analyses and a teacher")
        }
        guard let subjectWeights = context.subjectArtifacts["checkpoint"] else {
            throw RunFailure.other("the analysed run \(subject.id.prefix(12)) left no checkpoint")
        }
        guard let teacherWeights = context.teacherArtifacts["checkpoint"] else {
            throw RunFailure.other("the teacher run \(teacherSpec.id.prefix(12)) left no checkpoint")
        }
        let began = Date()
        // Only the validation split is read: an analysis trains nothing.
        let val: any DetectionDataset, transform: DetectionTransform
        if subject.dataset.synthetic == nil {
            val = try RealDatasets.validationSet(subject.dataset, dataRoot: dataRoot)
            transform = realImageTransform(subject.dataset)
        } else {
            let run = try detectionRun(subject, dataRoot: dataRoot)
            (val, transform) = (run.val, run.evaluation.transform)
        }
        // `loadTeacher` restores any run's final weights, frozen in eval mode.
        let student = try DetectionRun.loadTeacher(try detectorConfig(subject, numClasses: val.numClasses), from: subjectWeights)
        let teacher = try DetectionRun.loadTeacher(try detectorConfig(teacherSpec, numClasses: val.numClasses), from: teacherWeights)
        var correlation = TeacherStudentCorrelation(images: analysis.images ?? val.count)
        correlation.transform = transform
        context.progress(RunProgress(iteration: 0, total: 1, message: "teacher-student correlation"))
        let result = try correlation.measure(student: student, teacher: teacher, on: val)
        context.progress(RunProgress(iteration: 1, total: 1))
        var metrics: [String: Double] = ["pearson_images": Double(result.images)]
        metrics["pearson_features"] = result.features
        metrics["pearson_bbox_logits"] = result.bboxLogits
        if result.undefinedFeaturePairs + result.undefinedBoxPairs > 0 {
            metrics[RunAnalysis.undefinedPairMetrics["pearson_features"]!] = Double(result.undefinedFeaturePairs)
            metrics[RunAnalysis.undefinedPairMetrics["pearson_bbox_logits"]!] = Double(result.undefinedBoxPairs)
        }
        return RunResult(metrics: metrics, seconds: Date().timeIntervalSince(began))
    }
}
