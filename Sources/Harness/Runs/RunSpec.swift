import Crypto
import Distillation
import Foundation

/// One training run, fully resolved: everything that decides what it computes, and nothing else
/// (not where the data is mounted, not which commit ran it: those are recorded per attempt). Its
/// id is the SHA-256 of its canonical JSON, so identical runs in different rows or tables are one
/// run, and a change of any field (including `ScaleCalibration.revision`) is a new run.
public struct RunSpec: Codable, Hashable, Sendable {
    public var scale: ScaleProfile
    /// `ScaleCalibration.revision` when the spec was resolved.
    public var calibration: Int
    public var dataset: DatasetSpec
    /// As the tables name it: gfl, retinanet, faster_rcnn…
    public var detector: String {
        didSet { detectorRevision = DetectorRevisions.revision(of: detector, boxHead: boxHead) }
    }
    /// The detector's implementation revision (`DetectorRevisions`), kept in step with
    /// `detector` and `boxHead`; nil at revision 1, and then absent from the JSON, so the runs of
    /// unrevised detectors keep their ids. Decoding keeps what was stored.
    public private(set) var detectorRevision: Int?
    /// The table's `box_head`: nil for the detector's own head, "distribution" for the
    /// GFL-ified box branch of LD's Table 4. Absent from the JSON when nil, so that runs resolved
    /// before the field existed keep their ids.
    public var boxHead: String? {
        didSet { detectorRevision = DetectorRevisions.revision(of: detector, boxHead: boxHead) }
    }
    public var backbone: BackboneConfig
    public var schedule: ScheduleSpec
    public var multiscale: Bool
    /// The distillation terms exactly as the table writes them (`{method: ld, region: main,
    /// temperature: 10}`), in canonical order: the terms of a loss sum commute, so the order a
    /// row lists them in does not make a different run.
    public var distillation: [SettingValue] {
        didSet { distillationRevision = DistillationMethods.revision(of: methods) }
    }
    public var seed: Int
    /// The highest implementation revision of the spec's methods
    /// (`DistillationMethods.revision(of:)`), kept in step with `distillation`; nil while all are
    /// at revision 1, and then absent from the JSON, so runs without terms and runs whose methods
    /// never changed keep their ids. Decoding keeps what was stored.
    public private(set) var distillationRevision: Int?
    /// Set on an analysis run (see `RunAnalysis`): the spec is then not trained but measures the
    /// trained run `subject` against `teacher`. Absent from the JSON when nil, so every training
    /// run keeps its id.
    public var analysis: RunAnalysis?
    /// An array of at most one element: a struct cannot hold itself directly.
    private var teacherStorage: [RunSpec]

    public init(scale: ScaleProfile, dataset: DatasetSpec, detector: String, backbone: BackboneConfig,
                schedule: ScheduleSpec, multiscale: Bool, distillation: [SettingValue], teacher: RunSpec?,
                seed: Int, calibration: Int = ScaleCalibration.revision, boxHead: String? = nil,
                analysis: RunAnalysis? = nil) {
        self.scale = scale
        self.calibration = calibration
        self.dataset = dataset
        self.detector = detector
        self.boxHead = boxHead
        self.backbone = backbone
        self.schedule = schedule
        self.multiscale = multiscale
        self.distillation = RunSpec.canonicalOrder(distillation)
        self.seed = seed
        self.analysis = analysis
        self.teacherStorage = teacher.map { [$0] } ?? []
        distillationRevision = DistillationMethods.revision(of: methods)
        detectorRevision = DetectorRevisions.revision(of: detector, boxHead: boxHead)
    }

    /// The model whose predictions and features the distillation terms read; nil for runs without
    /// distillation and for self-distillation (LGD, LabelEnc). On an analysis run: the teacher the
    /// subject is compared with (for a baseline subject, the setting's teacher, attached for the
    /// analysis only).
    public var teacher: RunSpec? {
        get { teacherStorage.first }
        set { teacherStorage = newValue.map { [$0] } ?? [] }
    }

    /// The method names of the terms, in canonical order ("ld", "ld", "kd").
    public var methods: [String] { distillation.compactMap { $0["method"]?.string } }

    static func canonicalOrder(_ terms: [SettingValue]) -> [SettingValue] {
        terms.map { $0.removingNulls() }.sorted { $0.json.canonicalText < $1.json.canonicalText }
    }

    enum CodingKeys: String, CodingKey {
        case scale, calibration, dataset, detector, detectorRevision, boxHead, backbone, schedule, multiscale,
             distillation, distillationRevision, seed, teacher, analysis
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(scale: try container.decode(ScaleProfile.self, forKey: .scale),
                  dataset: try container.decode(DatasetSpec.self, forKey: .dataset),
                  detector: try container.decode(String.self, forKey: .detector),
                  backbone: try container.decode(BackboneConfig.self, forKey: .backbone),
                  schedule: try container.decode(ScheduleSpec.self, forKey: .schedule),
                  multiscale: try container.decode(Bool.self, forKey: .multiscale),
                  distillation: try container.decode([SettingValue].self, forKey: .distillation),
                  teacher: try container.decodeIfPresent(RunSpec.self, forKey: .teacher),
                  seed: try container.decode(Int.self, forKey: .seed),
                  calibration: try container.decode(Int.self, forKey: .calibration),
                  boxHead: try container.decodeIfPresent(String.self, forKey: .boxHead),
                  analysis: try container.decodeIfPresent(RunAnalysis.self, forKey: .analysis))
        distillationRevision = try container.decodeIfPresent(Int.self, forKey: .distillationRevision)
        detectorRevision = try container.decodeIfPresent(Int.self, forKey: .detectorRevision)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scale, forKey: .scale)
        try container.encode(calibration, forKey: .calibration)
        try container.encode(dataset, forKey: .dataset)
        try container.encode(detector, forKey: .detector)
        try container.encodeIfPresent(detectorRevision, forKey: .detectorRevision)
        try container.encodeIfPresent(boxHead, forKey: .boxHead)
        try container.encode(backbone, forKey: .backbone)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(multiscale, forKey: .multiscale)
        try container.encode(distillation, forKey: .distillation)
        try container.encodeIfPresent(distillationRevision, forKey: .distillationRevision)
        try container.encode(seed, forKey: .seed)
        try container.encodeIfPresent(teacher, forKey: .teacher)
        try container.encodeIfPresent(analysis, forKey: .analysis)
    }

    /// The canonical JSON text (see `JSONValue`): what the id hashes and what the store keeps.
    public var canonicalJSON: String {
        // Encoding plain Codable structs of strings, numbers and bools cannot fail.
        (try? JSONValue(encoding: self).canonicalText) ?? ""
    }

    /// SHA-256 (hex, 64 characters) of the canonical JSON.
    public var id: String { RunSpec.id(ofCanonicalJSON: canonicalJSON) }

    public static func id(ofCanonicalJSON text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads a spec back from its JSON (canonical or not).
    public static func decode(json text: String) throws -> RunSpec {
        try JSONDecoder().decode(RunSpec.self, from: Data(text.utf8))
    }

    /// "gfl resnet18 1x +ld/main+ld/vlr+kd/main ← gfl resnet101 2x, seed 1": for listings.
    public var summary: String {
        if let analysis, let subject, let teacher {
            let images = analysis.images.map { "first \($0) val images" } ?? "every val image"
            return "\(analysis.kind) (\(images)) of [" + subject.summary + "] vs " + teacher.model
        }
        var text = model
        if !distillation.isEmpty {
            text += " +" + distillation.map { term in
                let method = term["method"]?.string ?? "?"
                return term["region"]?.string.map { method + "/" + $0 } ?? method
            }.joined(separator: "+")
        }
        if let teacher { text += " ← " + teacher.model }
        return text + ", seed \(seed)"
    }

    /// Detector, backbone, schedule, multi-scale and dataset: the model trained, without method.
    var model: String {
        let epochs = schedule.epochs % ScaleCalibration.epochsPerX == 0
            ? "\(schedule.epochs / ScaleCalibration.epochsPerX)x" : "\(schedule.epochs)e"
        let head = boxHead.map { "(box_head: \($0))" } ?? ""
        var text = "\(dataset.name) \(detector)\(head) \(backbone.summary) \(epochs)"
        if multiscale { text += " ms" }
        return text
    }
}

/// The first characters of an id, enough to tell runs apart in listings and messages.
public func shortRunID(_ id: String) -> String { String(id.prefix(16)) }
