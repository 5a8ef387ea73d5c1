import Data
import Detection
import Distillation
import Evaluation
import Foundation
import NN

/// The concrete job a spec describes: its data, its detector and its training recipe (see the
/// README's "Scale profiles" for the choices).
extension DetectorRunExecutor {
    static func detectionRun(_ spec: RunSpec, dataRoot: URL = URL(fileURLWithPath: TableRunRequest.defaultDataRoot)) throws -> DetectionRun {
        // The weights file is checked before the (large) annotation files are parsed.
        let weights = spec.dataset.synthetic == nil ? try imageNetWeights(spec.backbone, dataRoot: dataRoot) : nil
        let (train, val, areaRanges) = try datasets(spec, dataRoot: dataRoot)
        let planned = try numClasses(spec)
        guard train.numClasses == planned else {
            // Teachers and distillation terms are planned with the dataset's usual class count.
            throw DataError(file: train.name, message: "\(train.numClasses) categories; \(spec.dataset.name) runs expect \(planned)")
        }
        let detector = try detectorConfig(spec, numClasses: train.numClasses)

        let training = trainingConfig(spec, detector: detector.kind)
        var run = DetectionRun(detector: detector, training: training, train: train, val: val, seed: UInt64(spec.seed))
        if let areaRanges { run.evaluation.areaRanges = areaRanges }
        if let weights {
            run.evaluation.transform = realImageTransform(spec.dataset)
            run.imageNetWeights = weights
        }
        return run
    }

    /// The optimisation of `spec`: the paper's SGD recipe (full: the table's `recipe`), or the
    /// small profile's reduced-scale variant of it.
    static func trainingConfig(_ spec: RunSpec, detector kind: DenseDetectorKind) -> TrainingConfig {
        let numbers = ScaleCalibration.numbers(for: spec.scale)
        let iterations = spec.schedule.iterations
        // Linear scaling from the paper's rate at 16 images (full: its recipe's).
        let rateAt16 = spec.schedule.learningRate ?? ScaleCalibration.paperLearningRate
        var training = TrainingConfig(iterations: iterations, batchSize: spec.schedule.batchSize,
                                      learningRate: rateAt16 * Double(spec.schedule.batchSize) / 16)
        if let decays = spec.schedule.decayIterations { training.decay = .milestones(decays) }
        let detectron2 = spec.schedule.framework == .detectron2
        // mmdetection warms up over 500 iterations, Detectron2 over 1000 (both from 0.001×).
        training.warmupIterations = Swift.min(detectron2 ? 1000 : 500, iterations / 10)
        if numbers.recipe == .reducedScale {
            training.learningRate *= ScaleCalibration.reducedScaleRateFactor(kind, boxHead: spec.boxHead)
            training.warmupIterations = Swift.min(30, iterations / 10)
        }
        // "ms": mmdet's shorter sides 640…800 in steps of 32, as fractions of the base size.
        training.multiScaleSizes = spec.multiscale
            ? (0...5).map { spec.dataset.imageSize * (640 + 32 * $0) / 800 } : []
        // Each detector's own config clip (RetinaNet and FCOS: 35; mmrotate: 35; SAPD: FSAF's 10;
        // ATSS, GFL and LD's GFL-ified heads: none; Detectron2's configs: none) applies at full.
        // At reduced scale a loose 35 (mmdet's value for several one-stage configs) keeps early
        // spikes from diverging a run, unless the config's own clip is tighter: under 35 SAPD's
        // R-101 run at small collapsed (`DetectorRevisions`).
        let clipped = !detectron2 && (kind.isRotated || ((kind == .retinanet || kind == .fcos) && spec.boxHead == nil))
        let configClip: Float? = kind == .sapd ? 10 : clipped ? 35 : nil
        training.gradientClip = spec.scale == .full ? configClip : Swift.min(configClip ?? 35, 35)
        training.checkpointEvery = Swift.max(50, iterations / 10)
        return training
    }

    /// Real images: mmdet's keep-ratio resize to (1333, 800) (VOC: (1000, 600)), no flip.
    static func realImageTransform(_ dataset: DatasetSpec) -> DetectionTransform {
        let longEdge = ScaleCalibration.fullDatasets[dataset.name]?.longEdge ?? dataset.imageSize * 1333 / 800
        return DetectionTransform(scales: [ImageScale(longEdge, dataset.imageSize)], flipProbability: 0)
    }

    /// Train and validation sets, and the area ranges to score with (nil: COCO's).
    static func datasets(_ spec: RunSpec, dataRoot: URL) throws
        -> (train: any DetectionDataset, val: any DetectionDataset, areaRanges: [(lower: Double, upper: Double)]?) {
        guard spec.dataset.synthetic != nil else {
            let (train, val) = try RealDatasets.splits(spec.dataset, dataRoot: dataRoot)
            return (train, val, nil)
        }
        return try syntheticDatasets(spec)
    }

    /// The synthetic train and validation sets of a smoke or small spec, and the area ranges its
    /// runs are scored with (COCO's, scaled to the image).
    static func syntheticDatasets(_ spec: RunSpec) throws
        -> (train: SyntheticScenes, val: SyntheticScenes, areaRanges: [(lower: Double, upper: Double)]) {
        let (train, val) = SyntheticScenes.splits(try sceneConfig(spec))
        return (train, val, val.areaRanges)
    }

    /// The synthetic scenes of a smoke or small spec, with the profile's calibration.
    static func sceneConfig(_ spec: RunSpec) throws -> SyntheticSceneConfig {
        let numbers = ScaleCalibration.numbers(for: spec.scale)
        var scenes = SyntheticSceneConfig(variant: SyntheticSceneConfig.Variant(rawValue: spec.dataset.synthetic ?? "") ?? .standard)
        let side = scenes.objectSide, k = numbers.objectScale
        scenes.objectSide = .init(p5: side.p5 * k, p50: side.p50 * k, p95: Swift.min(0.8, side.p95 * k))
        if let colour = numbers.colourInformativeness { scenes.colourInformativeness = colour }
        if let distractors = numbers.distractorsPerObject { scenes.distractorsPerObject = distractors }
        if let jitter = numbers.hueJitter { scenes.hueJitter = jitter }
        if let cap = numbers.maxObjectsPerImage {
            scenes.objectsPerImage = Swift.min(scenes.objectsPerImage.lowerBound, cap)...Swift.min(scenes.objectsPerImage.upperBound, cap)
        }
        if let revision = spec.dataset.sceneRevision {
            // Only the current revision can be built: an older one's code is gone.
            guard let current = ScaleCalibration.sceneRevisions[scenes.variant.rawValue], current.revision == revision else {
                throw RunFailure.other("scenes \(scenes.variant.rawValue) revision \(revision): only the current revision can be built")
            }
            current.adjust(&scenes)
        }
        scenes.seed = UInt64(spec.dataset.dataSeed ?? 0)
        scenes.imageWidth = spec.dataset.imageSize
        scenes.imageHeight = spec.dataset.imageSize
        scenes.trainCount = spec.dataset.trainImages ?? scenes.trainCount
        scenes.valCount = spec.dataset.valImages ?? scenes.valCount
        return scenes
    }

    /// The classes of a spec's dataset without reading it (teachers and plan-time checks).
    static func numClasses(_ spec: RunSpec) throws -> Int {
        if spec.dataset.synthetic != nil { return SyntheticScenes.splits(try sceneConfig(spec)).train.numClasses }
        guard let classes = RealDatasets.classCounts[spec.dataset.name] else {
            throw RunFailure.other("dataset \(spec.dataset.name) at full scale: no reader yet")
        }
        return classes
    }

    /// The detector of a spec (its dataset's classes unless given).
    static func detectorConfig(_ spec: RunSpec, numClasses: Int? = nil) throws -> DenseDetectorConfig {
        let backbone: BackboneChoice
        switch spec.backbone.family {
        case .mobileNetV2: backbone = .mobileNetV2(widthMultiplier: Float(spec.backbone.widthMultiplier))
        default:
            var c = ResNet.Config(depth: spec.backbone.depth ?? 50, widthMultiplier: Float(spec.backbone.widthMultiplier),
                                  stem: spec.backbone.stem == .imagenet ? .imagenet : .compact)
            c.norm = .batch
            c.deformable = spec.backbone.deformable
            if spec.backbone.family == .res2net {
                guard let scales = spec.backbone.scales, let width = spec.backbone.scaleWidth else {
                    throw RunFailure.other("backbone \(spec.backbone.name): Res2Net without its scales and width per scale")
                }
                c.res2Net = Res2NetShape(scales: scales, baseWidth: width)
            }
            if spec.scale == .full {
                // mmdet's ImageNet-initialised backbones: stem and stage 1 frozen, BatchNorm on
                // running statistics with trainable affine parameters elsewhere (`frozen_stages=1`,
                // `norm_cfg=dict(type='BN', requires_grad=True)`, `norm_eval=True`).
                c.frozenStages = 1
                c.batchNormEval = true
            }
            backbone = .resnet(c)
        }
        var detector = DetectorName.config(spec.detector, numClasses: try numClasses ?? Self.numClasses(spec), backbone: backbone)!
        if let head = spec.boxHead {
            guard let choice = DenseBoxHead(rawValue: head) else { throw RunFailure.other("box_head \(head): not implemented yet") }
            detector.boxHead = choice  // also RetinaNet's NMS (`DenseDetectorConfig.boxHead`)
        }
        // Neck and head widths follow the backbone's multiplier (256 at width 1); at reduced
        // scale the towers have 2 convolutions instead of 4 (the reference study's head).
        let width = spec.backbone.family != .mobileNetV2 ? spec.backbone.widthMultiplier : 1
        detector.fpnChannels = Swift.max(16, Int(256 * width))
        detector.headChannels = detector.fpnChannels
        detector.stackedConvs = spec.scale == .full ? 4 : 2
        // FCOS's regress ranges are set for P3 at stride 8; the compact stem halves every stride,
        // and the ranges follow so that objects keep their level.
        detector.fcosRangeScale = spec.backbone.family != .mobileNetV2 && spec.backbone.stem == .compact ? 0.5 : 1
        return detector
    }

    /// The torchvision ImageNet weights of a full-scale backbone:
    /// `<data root>/pretrained/resnet<depth>.safetensors` (a torchvision state dict saved with
    /// `safetensors.torch.save_file`; README "Scale profiles", Datasets).
    static func imageNetWeights(_ backbone: BackboneConfig, dataRoot: URL) throws -> URL {
        guard backbone.family == .resnet, let depth = backbone.depth else {
            throw RunFailure.other("backbone \(backbone.name) at full scale: ImageNet weights are read for torchvision ResNets only")
        }
        let url = dataRoot.appendingPathComponent("pretrained/resnet\(depth).safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw RunFailure.other("ImageNet weights for ResNet-\(depth) not found: expected \(url.path) "
                                   + "(a torchvision resnet\(depth) state dict in safetensors form)")
        }
        return url
    }
}

/// The real datasets of the full profile, laid out under `--data-root` as mmdetection expects.
enum RealDatasets {
    static let classCounts = ["coco": 80, "voc": 20]

    static func splits(_ dataset: DatasetSpec, dataRoot: URL) throws -> (train: any DetectionDataset, val: any DetectionDataset) {
        guard let root = dataset.location(in: dataRoot) else {
            throw RunFailure.other("dataset \(dataset.name): not a real dataset")
        }
        let training = try trainingSet(dataset, root: root)
        let validation = try validationSet(dataset, dataRoot: dataRoot)
        guard training.classNames == validation.classNames else {
            throw DataError(file: validation.name, message: "its categories differ from \(training.name)'s")
        }
        return (training, validation)
    }

    static func trainingSet(_ dataset: DatasetSpec, root: URL) throws -> any DetectionDataset {
        switch dataset.name {
        case "coco":
            return try COCODataset(annotationFile: root.appendingPathComponent("annotations/instances_train2017.json"),
                                   imageDirectory: root.appendingPathComponent("train2017", isDirectory: true), name: "coco-train2017",
                                   filterForTraining: true)
        case "voc":
            // mmdet's VOC configs: 2007 + 2012 trainval, tested on 2007 test.
            return try ConcatenatedDataset([VOCDataset(root: root.appendingPathComponent("VOC2007"), split: "trainval"),
                                            VOCDataset(root: root.appendingPathComponent("VOC2012"), split: "trainval")],
                                           name: "voc0712-trainval")
        default:
            throw RunFailure.other("dataset \(dataset.name) at full scale: no reader yet")
        }
    }

    /// The split a table evaluates on (read alone by analysis runs, which train nothing).
    static func validationSet(_ dataset: DatasetSpec, dataRoot: URL) throws -> any DetectionDataset {
        guard let root = dataset.location(in: dataRoot) else { throw RunFailure.other("dataset \(dataset.name): not a real dataset") }
        switch dataset.name {
        case "coco":
            let split = dataset.split ?? "val2017"
            return try COCODataset(annotationFile: root.appendingPathComponent("annotations/instances_\(split).json"),
                                   imageDirectory: root.appendingPathComponent(split, isDirectory: true), name: "coco-\(split)")
        case "voc":
            guard dataset.split == nil || dataset.split == "test2007" else {
                throw RunFailure.other("dataset voc at full scale: split \(dataset.split!) has no reader (VOC2007 test only)")
            }
            return try VOCDataset(root: root.appendingPathComponent("VOC2007"), split: "test", name: "voc2007-test")
        default:
            throw RunFailure.other("dataset \(dataset.name) at full scale: no reader yet")
        }
    }
}
