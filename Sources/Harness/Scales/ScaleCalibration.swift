import Data
import Detection

/// Every number that turns a paper's setting into a run at a given scale, in one place.
///
/// The detector engineer calibrates these (small scale must leave the teacher clearly above the
/// student with nothing saturated, in minutes per run on 2 cores). Change a number here and bump
/// `revision`: the revision is part of every `RunSpec`, so runs recorded under the old numbers
/// stay in the store but are no longer taken for the new ones. The README's "Scale profiles"
/// section mirrors this file.
public enum ScaleCalibration {
    /// Part of every run's identity. Bump on any change below that alters what a run computes.
    public static let revision = 4

    /// The per-profile numbers.
    public struct ProfileNumbers: Sendable {
        /// Seeds per cell when `--seeds` is not given.
        public var defaultSeeds: Int
        /// Iterations of a 12-epoch ("1x") schedule on synthetic data; other schedules scale with
        /// their epochs (2x = twice). Nil at full, where the dataset's epoch length decides.
        public var iterationsPer1x: Int?
        /// No schedule resolves to fewer iterations (a "4e" schedule at smoke would round to 0).
        public var minimumIterations: Int
        /// Images per iteration (the papers use 16 = 8 GPUs × 2 images).
        public var batchSize: Int
        /// Side of the square synthetic images; ignored at full (see `FullDataset.imageSize`).
        public var imageSize: Int
        /// Synthetic training and validation set sizes; ignored at full.
        public var trainImages: Int
        public var valImages: Int
        /// Multiplies the paper's channel widths: narrow analogues keep each backbone's depth and
        /// block type, so R-18 vs R-101 still differ the way they do in the papers.
        public var resnetWidth: Double
        public var mobileNetWidth: Double
        /// The compact stem (one 3×3 stride-2 convolution) suits small synthetic images; the real
        /// 7×7 + max-pool stem is used at full.
        public var stem: BackboneConfig.Stem
        /// Nominal seconds per training iteration of a ResNet-50-analogue student without a
        /// teacher, for estimates before anything is measured (measured throughput replaces it).
        public var nominalSecondsPerIteration: Double
        /// Multiplies the synthetic variant's object sizes (fractions of the image side, the 95th
        /// percentile capped at 0.8): small images keep objects several strides wide.
        public var objectScale: Float = 1
        /// Caps the labelled objects planned per image (small images hold fewer objects).
        public var maxObjectsPerImage: Int? = nil
        /// Overrides of the scenes' recognition difficulty (nil: the variant's own): how often an
        /// object wears its class's hue, and unlabelled look-alikes per object.
        public var colourInformativeness: Float? = nil
        public var distractorsPerObject: Float? = nil
        /// Overrides the half-width of the hue band around each class's preferred hue.
        public var hueJitter: Float? = nil
        /// The ImageNet analogue: crop-classification pretraining of each backbone, cached and
        /// shared by all runs. Nil at full, which loads torchvision's ImageNet weights instead.
        public var pretraining: Pretraining? = nil
        /// How detectors are optimised.
        public var recipe: TrainingRecipe = .paper
        /// Evaluations during training, evenly spaced (the training curve); 0: only at the end.
        public var curvePoints = 0
        /// Datasets whose schedules run this many times `iterationsPer1x` (the rotated
        /// detectors' box loss only starts to fall after about 400 iterations of the oriented
        /// scenes).
        public var iterationMultipliers: [String: Int] = [:]
        /// Detectors whose schedules run this many times `iterationsPer1x`, on top of the
        /// dataset's multiplier: RetinaNet (native or GFL-ified) stays near AP 0.5 after 400
        /// iterations of the standard scenes, where FCOS and ATSS reach 10 (README "Scale profiles");
        /// SAPD, whose FSAF head also lacks GroupNorm and level scales, reached 0.05.
        public var detectorIterationMultipliers: [String: Int] = [:]
    }

    /// `BackbonePretraining`'s budget: iterations of `batchSize` crops of `cropSize` pixels,
    /// residual blocks starting as the identity (`zeroInitResidual`).
    public struct Pretraining: Sendable {
        public var iterations: Int
        public var batchSize: Int
        public var cropSize: Int
        public var zeroInitResidual = true
    }

    public enum TrainingRecipe: Sendable {
        /// The papers' (mmdetection's): SGD, momentum 0.9, weight decay 1e-4, lr 0.01 per 16
        /// images, linear warm-up, steps at 8/12 and 11/12.
        case paper
        /// The papers' recipe over a few hundred iterations: twice the learning rate (measured
        /// better than 0.01 and than AdamW at 400 iterations), 30 warm-up iterations.
        case reducedScale
    }

    public static func numbers(for profile: ScaleProfile) -> ProfileNumbers {
        switch profile {
        case .smoke: return smoke
        case .small: return small
        case .full: return full
        }
    }

    static let smoke = ProfileNumbers(
        defaultSeeds: 1, iterationsPer1x: 8, minimumIterations: 2, batchSize: 2, imageSize: 64,
        trainImages: 16, valImages: 8, resnetWidth: 0.125, mobileNetWidth: 0.25, stem: .compact,
        nominalSecondsPerIteration: 0.05, objectScale: 2.5, maxObjectsPerImage: 5,
        colourInformativeness: 1, distractorsPerObject: 0.2, hueJitter: 0.02,
        pretraining: Pretraining(iterations: 2, batchSize: 4, cropSize: 32), recipe: .reducedScale)

    /// Calibrated in the README's "Scale profiles" section (issue 3): 64-px scenes seen by a
    /// stride-2 stem, so that FPN P3 has stride 4 and the typical object spans about six strides.
    /// Revision 4: the class hue within ±0.02 of the class's own (12.6 AP against 8.9 at ±0.06)
    /// and objects ×2.5 (14.3 against 12.6), single runs of `perf detector-run`.
    static let small = ProfileNumbers(
        defaultSeeds: 3, iterationsPer1x: 400, minimumIterations: 50, batchSize: 16, imageSize: 64,
        trainImages: 4000, valImages: 1000, resnetWidth: 0.25, mobileNetWidth: 0.5, stem: .compact,
        nominalSecondsPerIteration: 0.3, objectScale: 2.5, maxObjectsPerImage: 5,
        colourInformativeness: 1, distractorsPerObject: 0.2, hueJitter: 0.02,
        pretraining: Pretraining(iterations: 1000, batchSize: 64, cropSize: 32), recipe: .reducedScale,
        iterationMultipliers: ["dota": 2], detectorIterationMultipliers: ["retinanet": 3, "sapd": 3])

    /// Full: the paper's architecture at width 1 and its real schedule. The nominal time (batch 16
    /// at 1333×800 on 2 CPU cores) is a rough guess until throughput is measured.
    static let full = ProfileNumbers(
        defaultSeeds: 1, iterationsPer1x: nil, minimumIterations: 1, batchSize: 16, imageSize: 800,
        trainImages: 0, valImages: 0, resnetWidth: 1, mobileNetWidth: 1, stem: .imagenet,
        nominalSecondsPerIteration: 40)

    /// Epochs of one "x" of a schedule (mmdetection and Detectron2: 1x = 12 epochs ≈ 90k
    /// iterations at batch 16 on COCO).
    public static let epochsPerX = 12

    /// A table that leaves the schedule unstated (lgd Table 10) trains 1x; one that leaves
    /// multi-scale training unstated trains single-scale.
    public static let unstatedSchedule = "1x"
    public static let unstatedMultiscale = false

    /// The synthetic scenes shared by every seed: the run's seed varies initialisation and batch
    /// order, never the data, so that seeds pair across methods.
    public static let syntheticDataSeed = 20_240_601

    /// mmdetection's (and Detectron2's) one-stage learning rate at 16 images per iteration.
    public static let paperLearningRate = 0.01

    /// How many times the paper's rate the reduced-scale recipe trains at: twice (measured
    /// better than 0.01 and than AdamW at 400 iterations), except the rotated detectors, whose
    /// classification loss collapsed mid-run at 0.02 on the oriented scenes (README "Scale
    /// profiles"), and RetinaNet with its own head, which failed to learn at 0.02 at two seeds
    /// of three (`DetectorRevisions`, revision 2). Rotated detectors run only on the oriented
    /// scenes, whose revision 2 carries this into their run ids.
    public static func reducedScaleRateFactor(_ kind: DenseDetectorKind, boxHead: String?) -> Double {
        kind.isRotated || (kind == .retinanet && boxHead == nil) ? 1 : 2
    }

    /// The learning rate at 16 images of a detector whose released config departs from
    /// `paperLearningRate`, at every scale (smoke and small multiply it as they multiply 0.01):
    /// LD's GFL-ified RetinaNet trains at 0.0025 (HikariTJU/LD `retinagfl_r101_2x_coco.py`,
    /// `ld_retina_r50_1x.py`); at the small profile's 0.02 it did not learn (README "Scale
    /// profiles").
    public static func releasedLearningRate(detector: String, boxHead: String?) -> Double? {
        detector == "retinanet" && boxHead == "distribution" ? 0.0025 : nil
    }

    /// A synthetic variant recalibrated after runs were recorded on its first form: the
    /// revision (part of the dataset's identity, so those runs stay in the store but are not
    /// taken for new ones) and the change, applied after the profile's own scene numbers.
    public struct SceneRevision: Sendable {
        public var revision: Int
        public var adjust: @Sendable (inout SyntheticSceneConfig) -> Void
    }

    /// Revision 2 of the oriented scenes (LD Table 5; README "Scale profiles"): compact shapes
    /// only (long / short side 1.5–2.5, no thin elongated ones, whose rotated IoU with any anchor
    /// stays below the positive threshold), no look-alikes, no low-contrast objects, half the
    /// blur. With the first form a rotated RetinaNet R-18 analogue scored AP 1.2 at 400
    /// iterations, its box loss still flat, and teachers' AP varied 0.6–4.9 between seeds.
    public static let sceneRevisions: [String: SceneRevision] = [
        "oriented": SceneRevision(revision: 2) { scenes in
            scenes.elongatedFraction = 0
            scenes.compactAspect = 1.5...2.5
            scenes.distractorsPerObject = 0
            scenes.lowContrastFraction = 0
            scenes.blurSigma = scenes.blurSigma.lowerBound * 0.5...scenes.blurSigma.upperBound * 0.5
        },
    ]

    /// Table dataset → synthetic scene variant at smoke and small.
    public static let syntheticVariants: [String: String] = [
        "coco": "standard",      // many classes, objects of all sizes
        "voc": "vocLike",        // 20 classes, fewer and larger objects
        "crowdhuman": "crowded", // one class, heavy overlap (mMR)
        "dota": "oriented",      // rotated boxes
    ]

    /// A real dataset at full scale: where it sits under `--data-root` and what must be there.
    public struct FullDataset: Sendable {
        /// Directory under the data root.
        public var directory: String
        /// Files (relative to `directory`) whose absence means the dataset is not there.
        public var requiredFiles: [String]
        /// Training iterations per epoch at batch 16 (training images / 16).
        public var iterationsPerEpoch: Int
        /// mmdetection's VOC configs repeat the dataset 3 times per epoch (RepeatDataset).
        public var repeats: Int
        /// Shorter image side the paper resizes to.
        public var imageSize: Int
        /// The longer side's limit of that resize (mmdet's `img_scale=(1333, 800)`).
        public var longEdge: Int
        /// The split evaluated when a table states none, and by a teacher trained only to be
        /// distilled from (its own score does not matter to its students, so one teacher serves
        /// tables evaluated on different splits).
        public var validationSplit: String
    }

    public static let fullDatasets: [String: FullDataset] = [
        "coco": FullDataset(directory: "coco",
                            requiredFiles: ["annotations/instances_train2017.json", "annotations/instances_val2017.json"],
                            iterationsPerEpoch: 7330, repeats: 1, imageSize: 800, longEdge: 1333, validationSplit: "val2017"),  // 117k train2017 images
        "voc": FullDataset(directory: "VOCdevkit", requiredFiles: ["VOC2007", "VOC2012"],
                           iterationsPerEpoch: 1035, repeats: 3, imageSize: 600, longEdge: 1000, validationSplit: "test2007"),  // 16.5k 07+12 trainval
        "crowdhuman": FullDataset(directory: "crowdhuman",
                                  requiredFiles: ["annotation_train.odgt", "annotation_val.odgt"],
                                  iterationsPerEpoch: 938, repeats: 1, imageSize: 800, longEdge: 1400, validationSplit: "val"),  // 15k train
        "dota": FullDataset(directory: "dota", requiredFiles: ["trainval", "val"],
                            iterationsPerEpoch: 1315, repeats: 1, imageSize: 1024, longEdge: 1024, validationSplit: "val"),  // ~21k 1024² patches
    ]

    /// Evaluation splits as tables print them → the split read at full. `nil`: cannot be
    /// evaluated locally (test-dev annotations are private to the evaluation server).
    public static let splits: [String: String?] = [
        "val2017": "val2017", "minival": "val2017",  // COCO minival (2014) = the val2017 images
        "test2007": "test2007", "VOC2007 test": "test2007",
        "val": "val", "test-dev2019": nil, "test-dev": nil,
    ]

    /// A backbone as the tables name it: the real architecture (used at full) and the analogue
    /// trained at smoke and small, with its cost relative to ResNet-50 for time estimates
    /// (≈ half neck+head, half backbone FLOPs).
    public struct BackboneEntry: Sendable {
        public var full: BackboneConfig.Architecture
        public var analogue: BackboneConfig.Architecture
        public var relativeCost: Double
    }

    /// Unknown names (swin_t, convnext_t, uniformer_s, eva…) have no analogue and
    /// resolve to "not implemented"; add an entry here once the architecture exists.
    public static let backbones: [String: BackboneEntry] = [
        "resnet18": .init(full: .resnet(18), analogue: .resnet(18), relativeCost: 0.72),
        "resnet34": .init(full: .resnet(34), analogue: .resnet(34), relativeCost: 0.94),
        "resnet50": .init(full: .resnet(50), analogue: .resnet(50), relativeCost: 1.0),
        "resnet101": .init(full: .resnet(101), analogue: .resnet(101), relativeCost: 1.45),
        "resnet152": .init(full: .resnet(152), analogue: .resnet(152), relativeCost: 1.9),
        // ResNeXt needs grouped convolutions at full. The analogue is a wider ResNet-101 of
        // similar relative capacity: X-101-64x4d has ~1.9x R-101's parameters, 32x4d about the
        // same parameters but ~1.5 AP more.
        "resnext101": .init(full: .resnext(101, groups: 64, groupWidth: 4),
                            analogue: .resnet(101, width: 1.5), relativeCost: 2.4),
        "resnext101_32x4d": .init(full: .resnext(101, groups: 32, groupWidth: 4),
                                  analogue: .resnet(101, width: 1.25), relativeCost: 1.5),
        // Res2Net-101 26w×4s (mmdet's `res2net101_v1d_26w_4s`); its ImageNet weights are not
        // read at full. Its step at small costs about R-101's (`perf detector-run --res2net`, two
        // interleaved rounds: 21.8 and 21.7 images/s against 22.1 and 21.5).
        "res2net101": .init(full: .res2net(101, scales: 4, scaleWidth: 26), analogue: .res2net(101, scales: 4, scaleWidth: 26),
                            relativeCost: 1.45),
        "mobilenet_v2": .init(full: .mobileNetV2, analogue: .mobileNetV2, relativeCost: 0.54),
    ]

    /// `resnet101_dcn` = `resnet101` with `dcn: true` (deformable convolutions in C3–C5).
    public static let deformableSuffix = "_dcn"

    /// A deformable backbone's training step against its plain one's (`perf detector-run
    /// --kind gflv2 --depth 101 --dcn` at small, two interleaved rounds: 1.28 and 1.27; with
    /// `--res2net`, whose three narrower 3×3 convolutions per block all deform: 1.36 and 1.37).
    public static let deformableCostFactor = 1.27

    /// Fraction of a training step that a frozen teacher's forward pass adds, per unit of the
    /// teacher's relative cost (a forward pass is about a third of forward + backward).
    public static let teacherForwardShare = 0.35
}
