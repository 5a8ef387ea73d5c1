import Detection
import NN
import Tensor

/// A parameter of a table's distillation entry (`{method: ld, region: vlr, gamma: 0.25}`).
public enum MethodParameter: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, CustomStringConvertible {
    case number(Double)
    case text(String)

    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(stringLiteral value: String) { self = .text(value) }

    public var description: String {
        switch self { case .number(let v): return "\(v)"; case .text(let s): return "'\(s)'" }
    }
}

public enum DistillationMethodError: Error, Equatable, CustomStringConvertible {
    case unknownMethod(String, known: [String])
    case unknownParameter(method: String, parameter: String, allowed: [String])
    case invalidParameter(method: String, parameter: String, reason: String)
    case unsupported(method: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownMethod(m, known):
            return "unknown distillation method '\(m)' (known: \(known.joined(separator: ", ")))"
        case let .unknownParameter(m, p, allowed):
            return "distillation method '\(m)': unknown parameter '\(p)' (allowed: \(allowed.joined(separator: ", ")))"
        case let .invalidParameter(m, p, reason):
            return "distillation method '\(m)': parameter '\(p)' \(reason)"
        case let .unsupported(m, reason):
            return "distillation method '\(m)': \(reason)"
        }
    }
}

/// Maps the tables' distillation entries (`tables/ld/*.yaml`) to loss terms.
public enum DistillationMethods {
    /// Each method's implementation revision, 1 when not listed: bump a method's on any change
    /// that alters what its term computes. A run's `RunSpec.distillationRevision` is the highest
    /// of its methods' (nil when all are 1), so a change to one method redoes only the runs that
    /// use it. ld 2: its constant normalisers divide per-GPU sums
    /// (`LocalizationDistillation.imagesPerDevice`); revision-1 runs weighed LD 8× at batch 16.
    public static let revisions: [String: Int] = ["ld": 2]

    /// The revision a run with these methods records: nil while every one is at revision 1.
    public static func revision(of methods: [String]) -> Int? {
        let highest = methods.map { revisions[$0] ?? 1 }.max() ?? 1
        return highest > 1 ? highest : nil
    }

    /// Method name → its allowed parameters (besides `method` itself).
    public static let parameters: [String: [String]] = [
        "ld": ["region", "temperature", "gamma", "weight", "weighting"],
        "kd": ["region", "temperature", "gamma", "weight"],
        "tbr": ["region", "epsilon", "weight"],
        "fitnet": ["weight"],
        "inside_gt_box": ["weight"],
        "main_region": ["weight"],
        "fine_grained": ["weight", "ratio"],
        "defeat": ["foreground_weight", "background_weight", "finest_scale", "variant", "weight"],
        "gi_imitation": ["weight", "top_k", "nms_iou"],
    ]

    public static var names: [String] { parameters.keys.sorted() }

    /// The term for one entry. `rng` initialises adapters (feature imitation with differing
    /// channels). Throws on an unknown method or parameter, an invalid value, or a detector pair
    /// the method cannot work on (LD needs box distributions with the same n on both sides: GFL,
    /// or RetinaNet/FCOS/ATSS with `boxHead: .distribution`).
    public static func term(method: String, parameters given: [String: MethodParameter], student: DenseDetectorConfig,
                            teacher: DenseDetectorConfig?, rng: inout RNG) throws -> LossTerm {
        guard let allowed = parameters[method] else { throw DistillationMethodError.unknownMethod(method, known: names) }
        let p = Parameters(method: method, values: given)
        for key in given.keys.sorted() where key != "method" && !allowed.contains(key) {
            throw DistillationMethodError.unknownParameter(method: method, parameter: key, allowed: allowed)
        }
        guard let teacher else { throw DistillationMethodError.unsupported(method: method, reason: "needs a teacher") }
        // No paper distils into or from OTA, PAA, AutoAssign, BorderDet or SAPD; LD's heads give them no constants.
        for kind in [student.kind, teacher.kind] where [.ota, .paa, .autoassign, .borderdet, .sapd].contains(kind) {
            throw DistillationMethodError.unsupported(method: method, reason: "distillation with a \(kind.rawValue) detector is not implemented")
        }
        if ["ld", "kd", "tbr", "gi_imitation"].contains(method) { try requireSamePriors(method, student, teacher) }
        if student.kind.isRotated && ["tbr", "gi_imitation"].contains(method) {
            throw DistillationMethodError.unsupported(method: method, reason:
                "reads the four side distances of axis-aligned heads; \(student.kind.rawValue) regresses oriented deltas")
        }

        switch method {
        case "ld":
            try requireDistributions(method, student, teacher, sameBins: true)
            // Defaults are the official head's for this student detector; the entry may override.
            let head = LDHeadConstants.forStudent(student.kind)
            var region = try p.region(allowVLR: head.hasVLR)
            if case .valuableLocalization(var vlr) = region {
                vlr.weighting = head.vlrWeighting
                vlr.excludesPositives = head.vlrExcludesPositives
                region = .valuableLocalization(vlr)
            }
            var mainWeighting = head.mainWeighting
            switch (region, try p.text("weighting")) {
            case (_, nil): break
            case (.main, "score"?): mainWeighting = .studentScore
            case (.main, "uniform"?): mainWeighting = .uniform
            case (.valuableLocalization(var vlr), let w?) where ["iou", "indicator", "score"].contains(w):
                vlr.weighting = w == "iou" ? .iou : w == "indicator" ? .indicator : .studentScore
                region = .valuableLocalization(vlr)
            default: throw p.invalid("weighting", "must be score|uniform on the main region, iou|indicator|score on the VLR")
            }
            let term = LocalizationDistillation(region: region, temperature: try p.number("temperature", 10, positive: true),
                                                lossWeight: try p.number("weight", Double(head.ldWeight)),
                                                normalizer: region == .main ? head.mainNormalizer : head.vlrNormalizer)
            term.mainWeighting = mainWeighting
            term.rows = head.rows
            term.perLevelMean = head.perLevelMean
            return term
        case "kd":
            let region = try p.region(allowVLR: LDHeadConstants.forStudent(student.kind).hasVLR)
            let t = try p.number("temperature", Double(ClassificationKD.defaultTemperature(for: student.kind)), positive: true)
            return ClassificationKD(region: region, temperature: t,
                                    lossWeight: try p.number("weight", Double(ClassificationKD.defaultWeight(for: student.kind))))
        case "tbr":
            try requireDistributions(method, student, teacher, sameBins: false)
            _ = try p.region(allowVLR: false)   // main only: the paper runs TBR on the positives
            return TeacherBoundedRegression(epsilon: try p.number("epsilon", 0.1), lossWeight: try p.number("weight", 2))
        default:
            let region: FeatureImitation.Region
            switch method {
            case "fitnet": region = .wholeMap
            case "inside_gt_box": region = .insideGTBox
            case "main_region": region = .mainRegion
            case "fine_grained": region = .fineGrained(ratio: try p.number("ratio", 0.5, positive: true))
            case "defeat":
                // `variant: defeat` (default): DeFeat's own definition and code; `ld_code`: the
                // LD repository's "decouple" mode (its Table 6 implementation, 3–7× stronger).
                switch try p.text("variant") ?? "defeat" {
                case "defeat":
                    if given["weight"] != nil { throw p.invalid("weight", "applies only to variant ld_code (DeFeat has foreground_weight and background_weight)") }
                    region = .deFeat(DeFeatMask(foregroundWeight: try p.number("foreground_weight", 3),
                                                backgroundWeight: try p.number("background_weight", 12),
                                                finestScale: try p.number("finest_scale", 56, positive: true)))
                case "ld_code":
                    for name in ["foreground_weight", "background_weight", "finest_scale"] where given[name] != nil {
                        throw p.invalid(name, "applies only to variant defeat (ld_code weighs with weight, background ×2)")
                    }
                    region = .decoupledInsideGT
                case let other:
                    throw p.invalid("variant", "must be defeat or ld_code, got '\(other)'")
                }
            default:
                try requireDistributions(method, student, teacher, sameBins: false)
                let k = try p.number("top_k", 10, positive: true)
                guard k == k.rounded() else { throw p.invalid("top_k", "must be a whole number") }
                region = .generalInstance(GeneralInstanceSelection(topK: Int(k), nmsIoU: try p.number("nms_iou", 0.3)))
            }
            return FeatureImitation(region: region, studentChannels: student.fpnChannels, teacherChannels: teacher.fpnChannels,
                                    lossWeight: try p.number("weight", 2), rng: &rng)
        }
    }

    /// Logit terms index the teacher's predictions with the student's priors: same classes and
    /// the same priors per location (RetinaNet's 9 anchors against the others' 1).
    static func requireSamePriors(_ method: String, _ s: DenseDetectorConfig, _ t: DenseDetectorConfig) throws {
        guard s.numClasses == t.numClasses else {
            throw DistillationMethodError.unsupported(method: method, reason:
                "student and teacher predict \(s.numClasses) and \(t.numClasses) classes")
        }
        guard s.priorsPerLocation == t.priorsPerLocation else {
            throw DistillationMethodError.unsupported(method: method, reason:
                "\(s.kind.rawValue) and \(t.kind.rawValue) place different numbers of priors per location")
        }
        guard s.kind.isRotated == t.kind.isRotated else {
            throw DistillationMethodError.unsupported(method: method, reason:
                "\(s.kind.rawValue) and \(t.kind.rawValue) regress different boxes (oriented and axis-aligned)")
        }
    }

    static func requireDistributions(_ method: String, _ s: DenseDetectorConfig, _ t: DenseDetectorConfig,
                                     sameBins: Bool) throws {
        guard s.predictsDistributions && t.predictsDistributions else {
            func head(_ c: DenseDetectorConfig) -> String {
                c.kind.rawValue + (c.predictsDistributions ? " (distributions)" : " (its native box head)")
            }
            throw DistillationMethodError.unsupported(method: method, reason:
                "needs distributional box heads on student and teacher (GFL, GFocalV2, or RetinaNet/FCOS/ATSS/rotated "
                + "RetinaNet/GWD with box_head: distribution), got \(head(s)) and \(head(t))")
        }
        if sameBins && (s.regMax != t.regMax || (s.kind.isRotated && s.rotatedBinRange != t.rotatedBinRange)) {
            throw DistillationMethodError.unsupported(method: method, reason:
                "student and teacher need the same bins, got n = \(s.regMax) and \(t.regMax)"
                + (s.kind.isRotated ? " over \(s.rotatedBinRange) and \(t.rotatedBinRange)" : ""))
        }
    }
}

/// Typed reads of an entry's parameters, with errors naming the method and parameter.
private struct Parameters {
    let method: String
    let values: [String: MethodParameter]

    func invalid(_ name: String, _ reason: String) -> DistillationMethodError {
        .invalidParameter(method: method, parameter: name, reason: reason)
    }

    func number(_ name: String, _ fallback: Double, positive: Bool = false) throws -> Float {
        guard let v = values[name] else { return Float(fallback) }
        guard case .number(let x) = v, x.isFinite else { throw invalid(name, "must be a number, got \(v)") }
        if positive && x <= 0 { throw invalid(name, "must be positive, got \(x)") }
        if !positive && x < 0 { throw invalid(name, "must not be negative, got \(x)") }
        return Float(x)
    }

    func text(_ name: String) throws -> String? {
        guard let v = values[name] else { return nil }
        guard case .text(let s) = v else { throw invalid(name, "must be a name, got \(v)") }
        return s
    }

    /// `region: main | vlr` (main when absent); `gamma` only with vlr.
    func region(allowVLR: Bool) throws -> DistillationRegion {
        switch try text("region") ?? "main" {
        case "main":
            if values["gamma"] != nil { throw invalid("gamma", "applies only to region vlr") }
            return .main
        case "vlr" where allowVLR:
            let gamma = try number("gamma", 0.25)
            guard gamma <= 1 else { throw invalid("gamma", "must be in [0, 1], got \(gamma)") }
            return .valuableLocalization(ValuableLocalizationRegion(gamma: gamma))
        case let other:
            throw invalid("region", "must be \(allowVLR ? "main or vlr" : "main"), got '\(other)'")
        }
    }
}
