import Foundation

/// Learning rate as a function of the iteration: linear warm-up (mmdet: ratio → 1 over
/// `warmupIterations`) followed by step decay at milestones or cosine annealing.
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    public enum Decay: Codable, Sendable, Equatable {
        /// Multiply by `gamma` at each milestone iteration (mmdet 1x: ×0.1 at epochs 8 and 11).
        case step(milestones: [Int], gamma: Double)
        /// Cosine from the base rate to `minimumRatio`·base at `totalIterations`.
        case cosine(totalIterations: Int, minimumRatio: Double)
        case constant
    }

    public var baseLearningRate: Double
    public var warmupIterations: Int
    public var warmupRatio: Double
    public var decay: Decay

    public init(baseLearningRate: Double, warmupIterations: Int = 0, warmupRatio: Double = 0.001, decay: Decay = .constant) {
        self.baseLearningRate = baseLearningRate; self.warmupIterations = warmupIterations
        self.warmupRatio = warmupRatio; self.decay = decay
    }

    /// The rate for iteration `it` (0-based).
    public func learningRate(at it: Int) -> Float {
        var lr = baseLearningRate
        switch decay {
        case .constant: break
        case let .step(milestones, gamma):
            lr *= Foundation.pow(gamma, Double(milestones.filter { it >= $0 }.count))
        case let .cosine(total, minimum):
            let progress = min(1, Double(it) / Double(max(total, 1)))
            lr *= minimum + (1 - minimum) * 0.5 * (1 + Foundation.cos(Double.pi * progress))
        }
        if it < warmupIterations {
            let k = Double(it) / Double(warmupIterations)
            lr *= warmupRatio + (1 - warmupRatio) * k
        }
        return Float(lr)
    }
}
