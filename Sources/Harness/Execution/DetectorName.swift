import Detection

/// The dense detector a table's `detector:` names. Most names are a `DenseDetectorKind`; a few
/// name a variant of one, so that a variant is its own run (a different name is a different id)
/// and inherits like any detector: `paa_official` is PAA under the official code's assignment
/// rules (`PAAAssigner.Rules.officialCode`), where `paa` follows mmdetection's.
enum DetectorName {
    static let variants: [String: (kind: DenseDetectorKind, configure: @Sendable (inout DenseDetectorConfig) -> Void)] = [
        "paa_official": (.paa, { $0.paaRules = .officialCode }),
    ]

    /// The kind `name` trains, or nil when the suite has no such detector.
    static func kind(_ name: String) -> DenseDetectorKind? {
        variants[name]?.kind ?? DenseDetectorKind(rawValue: name)
    }

    /// The configuration of `name`'s kind with its variant's changes.
    static func config(_ name: String, numClasses: Int, backbone: BackboneChoice) -> DenseDetectorConfig? {
        guard let kind = kind(name) else { return nil }
        var config = DenseDetectorConfig(kind: kind, numClasses: numClasses, backbone: backbone)
        variants[name]?.configure(&config)
        return config
    }
}
