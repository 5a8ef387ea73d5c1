/// The outlines objects are drawn with. Each is defined in its own frame with half-extents
/// (a, b) along (u, v), and touches all four sides of [-a, a] × [-b, b] so that its oriented box
/// is exactly (2a, 2b).
public enum SceneShape: Int, CaseIterable, Sendable {
    case rectangle, ellipse, triangle, diamond, hexagon, cross, ring, dome

    var noun: String {
        switch self {
        case .rectangle: "rectangle"
        case .ellipse: "ellipse"
        case .triangle: "triangle"
        case .diamond: "diamond"
        case .hexagon: "hexagon"
        case .cross: "cross"
        case .ring: "ring"
        case .dome: "dome"
        }
    }
}

/// The procedural surface patterns, drawn in the object's own frame so they turn with it.
public enum SceneTexture: Int, CaseIterable, Sendable {
    case stripes, dots, checks, noise

    var adjective: String {
        switch self {
        case .stripes: "striped"
        case .dots: "dotted"
        case .checks: "checked"
        case .noise: "mottled"
        }
    }
}

/// A shape × texture conjunction: what tells classes apart. Colour only leans towards a
/// conjunction's preferred hue (see `SyntheticSceneConfig.colourInformativeness`).
public struct ObjectKind: Equatable, Hashable, Sendable {
    public var shape: SceneShape
    public var texture: SceneTexture

    public var name: String { "\(texture.adjective) \(shape.noun)" }

    /// All 32 conjunctions in the order labels are assigned: conjunction k is shape k mod 8 with
    /// texture (k/8 + k) mod 4. Any prefix of 12 uses every texture three times and every shape at
    /// least once, so a shape alone never decides the class and each labelled class has unlabelled
    /// look-alikes sharing its shape or its texture.
    public static let all: [ObjectKind] = (0..<32).map { k in
        ObjectKind(shape: SceneShape(rawValue: k % 8) ?? .rectangle,
                   texture: SceneTexture(rawValue: (k / 8 + k) % 4) ?? .stripes)
    }

    /// The hue this conjunction leans towards, spread by the golden ratio so neighbours differ.
    var preferredHue: Float {
        let index = ObjectKind.all.firstIndex(of: self) ?? 0
        let h = Float(index) * 0.618034
        return h - h.rounded(.down)
    }
}

/// Which conjunctions are labelled classes and which are unlabelled distractors.
struct SceneVocabulary {
    /// `labelled[label]` is the kind of class `label`.
    let labelled: [ObjectKind]
    let distractors: [ObjectKind]

    init(numClasses: Int) {
        precondition((1...ObjectKind.all.count).contains(numClasses),
                     "SyntheticScenes: numClasses must be in 1...\(ObjectKind.all.count)")
        labelled = Array(ObjectKind.all.prefix(numClasses))
        distractors = Array(ObjectKind.all.dropFirst(numClasses))
    }

    var classNames: [String] { labelled.map(\.name) }
}
