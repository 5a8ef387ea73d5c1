/// A backbone as a run builds it: family, depth, width multiplier, stem. Resolved from a table's
/// `student:` / `teacher:` map (`{backbone: mobilenet_v2, width: 0.5}`) through
/// `ScaleCalibration.backbones` and the profile's width multipliers.
public struct BackboneConfig: Codable, Hashable, Sendable {
    public enum Family: String, Codable, Sendable {
        case resnet, resnext, res2net
        case mobileNetV2 = "mobilenet_v2"
    }

    public enum Stem: String, Codable, Sendable {
        /// 7×7 stride-2 convolution + 3×3 max pooling (the papers' backbones).
        case imagenet
        /// One 3×3 stride-2 convolution, for small synthetic images.
        case compact
    }

    /// The shape of an architecture before the profile's width multiplier is applied.
    public struct Architecture: Hashable, Sendable {
        public var family: Family
        public var depth: Int?
        public var width: Double
        public var groups: Int?
        public var groupWidth: Int?
        /// Res2Net's scales and base width (26w×4s → 4, 26).
        public var scales: Int?
        public var scaleWidth: Int?

        public static func resnet(_ depth: Int, width: Double = 1) -> Architecture {
            Architecture(family: .resnet, depth: depth, width: width)
        }

        public static func resnext(_ depth: Int, groups: Int, groupWidth: Int) -> Architecture {
            Architecture(family: .resnext, depth: depth, width: 1, groups: groups, groupWidth: groupWidth)
        }

        public static func res2net(_ depth: Int, scales: Int, scaleWidth: Int) -> Architecture {
            Architecture(family: .res2net, depth: depth, width: 1, scales: scales, scaleWidth: scaleWidth)
        }

        public static let mobileNetV2 = Architecture(family: .mobileNetV2, depth: nil, width: 1)
    }

    /// As the table names it, without the `_dcn` suffix ("resnet101"): two paper backbones that
    /// happen to share an analogue stay two runs, so a report never shows one model twice.
    public var name: String
    public var family: Family
    /// ResNet / ResNeXt depth (18…152); nil for MobileNetV2.
    public var depth: Int?
    /// Channel multiplier over the architecture's standard widths (paper width × profile width).
    public var widthMultiplier: Double
    /// ResNeXt cardinality and width per group (64x4d → 64, 4).
    public var groups: Int?
    public var groupWidth: Int?
    /// Res2Net's scales and base width per scale (26w×4s → 4, 26).
    public var scales: Int?
    public var scaleWidth: Int?
    /// ResNet family only; nil for MobileNetV2, which has one stem.
    public var stem: Stem?
    /// Deformable convolutions in C3–C5, ResNet's stages 2–4 (`dcn: true` or a `_dcn` name).
    public var deformable: Bool

    /// The fields of a `student:` map the planner understands; anything else is reported rather
    /// than silently dropped.
    static let understoodFields: Set<String> = ["backbone", "width", "dcn"]

    /// Resolves `map` (a table's `student:` or `teacher:` value) at `scale`. `context` names the
    /// map in messages ("student", "teacher"); `ignoring` are fields handled by the caller
    /// (a teacher's detector and schedule).
    static func resolve(_ map: SettingValue?, scale: ScaleProfile, context: String,
                        ignoring: Set<String> = []) -> Result<BackboneConfig, NotImplemented> {
        guard let fields = map?.map else {
            return .failure(NotImplemented("\(context): no backbone given"))
        }
        for key in fields.keys.sorted() where !understoodFields.contains(key) && !ignoring.contains(key) {
            return .failure(NotImplemented("\(context).\(key): setting not understood by the planner"))
        }
        guard let written = fields["backbone"]?.string else {
            return .failure(NotImplemented("\(context): no backbone given"))
        }
        var name = written
        var deformable = fields["dcn"]?.bool ?? false
        if name.hasSuffix(ScaleCalibration.deformableSuffix) {
            name.removeLast(ScaleCalibration.deformableSuffix.count)
            deformable = true
        }
        guard let entry = ScaleCalibration.backbones[name] else {
            return .failure(NotImplemented("backbone \(written): not implemented yet (no analogue)"))
        }
        let numbers = ScaleCalibration.numbers(for: scale)
        let architecture = scale == .full ? entry.full : entry.analogue
        let paperWidth = fields["width"]?.number ?? 1
        let profileWidth = architecture.family == .mobileNetV2 ? numbers.mobileNetWidth : numbers.resnetWidth
        return .success(BackboneConfig(
            name: name, family: architecture.family, depth: architecture.depth,
            widthMultiplier: architecture.width * paperWidth * profileWidth,
            groups: architecture.groups, groupWidth: architecture.groupWidth,
            scales: architecture.scales, scaleWidth: architecture.scaleWidth,
            stem: architecture.family == .mobileNetV2 ? nil : numbers.stem,
            deformable: deformable))
    }

    /// Cost relative to a ResNet-50 analogue, for time estimates.
    var relativeCost: Double {
        (ScaleCalibration.backbones[name]?.relativeCost ?? 1) * (deformable ? ScaleCalibration.deformableCostFactor : 1)
    }

    /// "resnet101", "resnet101+dcn", "mobilenet_v2×0.25" (MobileNetV2 shows its resolved width,
    /// which is what tells rm Table 3's full and half-width models apart): for listings.
    public var summary: String {
        var text = name
        if deformable { text += "+dcn" }
        if family == .mobileNetV2 { text += "×" + SettingValue.format(widthMultiplier) }
        return text
    }
}
