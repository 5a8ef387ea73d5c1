import NN

/// How a detector is trained: iteration-based, as the scale profiles map the papers' 1x/2x/3x
/// schedules to iteration counts.
public struct TrainingConfig: Sendable, Codable, Equatable {
    public enum OptimizerKind: String, Sendable, Codable { case sgd, adamw }

    public var iterations: Int
    public var batchSize: Int
    public var optimizer: OptimizerKind = .sgd
    public var learningRate: Double
    public var momentum: Float = 0.9
    public var weightDecay: Float = 1e-4
    public var warmupIterations: Int = 0
    public var warmupRatio: Double = 0.001
    /// Step decay ×0.1 at these fractions of `iterations` (mmdet 1x: 8/12 and 11/12) or after
    /// these iterations, or cosine.
    public var decay: Decay = .steps([8.0 / 12, 11.0 / 12])
    /// Global gradient-norm clip (nil: none, as mmdet's one-stage configs).
    public var gradientClip: Float?
    /// Multi-scale training: shorter-side sizes to pick from per batch (empty: single scale).
    public var multiScaleSizes: [Int] = []
    public var horizontalFlip = true
    /// Iterations between checkpoints (0: only at the end).
    public var checkpointEvery = 0

    public enum Decay: Sendable, Codable, Equatable {
        case steps([Double])
        case milestones([Int])
        case cosine
    }

    public init(iterations: Int, batchSize: Int, learningRate: Double) {
        self.iterations = iterations; self.batchSize = batchSize; self.learningRate = learningRate
    }

    public var schedule: LearningRateSchedule {
        let decay: LearningRateSchedule.Decay
        switch self.decay {
        case .steps(let fractions): decay = .step(milestones: fractions.map { Int($0 * Double(iterations)) }, gamma: 0.1)
        case .milestones(let steps): decay = .step(milestones: steps, gamma: 0.1)
        case .cosine: decay = .cosine(totalIterations: iterations, minimumRatio: 0)
        }
        return LearningRateSchedule(baseLearningRate: learningRate, warmupIterations: warmupIterations,
                                    warmupRatio: warmupRatio, decay: decay)
    }
}
