/// How long runs take: the profile's nominal seconds per iteration (scaled by the backbone's
/// relative cost, plus the teacher's forward pass), corrected by measured throughput, the ratio
/// of measured to nominal time over the runs completed so far at that scale. Training runs and
/// analysis runs (forward passes only, whose nominal cost is a rougher guess) keep separate
/// ratios, so that one kind's timings do not skew the other's estimates.
public struct RunTimeEstimate: Sendable {
    private struct Ratio: Sendable {
        var measured = 0.0, nominal = 0.0
        var factor: Double { nominal > 0 && measured > 0 ? measured / nominal : 1 }
    }
    private var training = Ratio()
    private var analysis = Ratio()

    /// Starts from the completed attempts in the store (`RunStore.completedTimings`).
    public init(history: [(spec: RunSpec, seconds: Double)] = []) {
        for entry in history { record(entry.spec, seconds: entry.seconds) }
    }

    /// Measured over nominal time of training runs; 1 until one was measured.
    public var speedFactor: Double { training.factor }

    /// Whether the factor rests on measurements rather than the nominal guess alone.
    public var isMeasured: Bool { training.nominal > 0 }

    public mutating func record(_ spec: RunSpec, seconds: Double) {
        guard seconds.isFinite, seconds > 0 else { return }
        if spec.analysis != nil {
            analysis.measured += seconds; analysis.nominal += Self.nominalSeconds(spec)
        } else {
            training.measured += seconds; training.nominal += Self.nominalSeconds(spec)
        }
    }

    /// An analysis run without measured analyses of its own borrows the training runs' ratio:
    /// the machine's speed is the better guess than none.
    public func seconds(_ spec: RunSpec) -> Double {
        let ratio = spec.analysis != nil && analysis.nominal > 0 ? analysis.factor : training.factor
        return Self.nominalSeconds(spec) * ratio
    }

    /// The calibration's guess for one run, before any measurement.
    public static func nominalSeconds(_ spec: RunSpec) -> Double {
        let numbers = ScaleCalibration.numbers(for: spec.scale)
        if let analysis = spec.analysis {
            // Forward passes of the subject and its teacher over the analysed images, each about
            // a third of a training iteration per batch.
            let images = Double(Swift.min(analysis.images ?? .max, spec.dataset.valImages ?? 5000))
            let batches = images / Double(Swift.max(1, spec.schedule.batchSize))
            let relative = spec.backbone.relativeCost + (spec.teacher?.backbone.relativeCost ?? 0)
            return numbers.nominalSecondsPerIteration * relative * batches / 3
        }
        var relative = spec.backbone.relativeCost
        if let teacher = spec.teacher {
            relative += teacher.backbone.relativeCost * ScaleCalibration.teacherForwardShare
        }
        return numbers.nominalSecondsPerIteration * relative * Double(spec.schedule.iterations)
    }
}

/// "45s", "3m05s", "2h10m", "3.2d": durations for humans.
public func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "?" }
    let total = Int(seconds.rounded())
    if total < 60 { return "\(total)s" }
    if total < 3600 { return "\(total / 60)m" + twoDigits(total % 60) + "s" }
    if total < 48 * 3600 { return "\(total / 3600)h" + twoDigits((total % 3600) / 60) + "m" }
    let days = seconds / 86400
    return String(Int(days)) + "." + String(Int((days - Double(Int(days))) * 10)) + "d"
}

private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
