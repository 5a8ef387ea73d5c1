/// What reports and charts show for one measured cell, or for one row's difference to its
/// baseline in one column: statistics when there are samples, otherwise why there are none.
public struct CellMeasurement: Sendable {
    public enum State: Equatable, Sendable {
        /// Samples exist; `partial` when some seeds are still planned or running.
        case measured(partial: Bool)
        case notImplemented(reason: String)
        case failed(reason: String)
        case notRun
        /// The column is reported only (parameters, FPS): nothing is measured.
        case reportedOnly
    }

    public var state: State
    /// Mean, sample std and n of the cell's seeds (or of the paired differences, for a delta).
    public var summary: SampleSummary?
    /// Confidence interval of that mean; nil below two seeds.
    public var interval: ConfidenceInterval?
    /// The seeds behind the numbers.
    public var seeds: [Int]

    public var hasNumbers: Bool { summary != nil }

    init(state: State) {
        self.state = state
        self.summary = nil
        self.interval = nil
        self.seeds = []
    }

    init(values seedValues: [Int: Double], partial: Bool, level: Double) {
        let seeds = seedValues.keys.sorted()
        let values = seeds.map { seedValues[$0]! }
        self.state = .measured(partial: partial)
        self.summary = SampleSummary(values)
        self.interval = ConfidenceInterval(values: values, level: level)
        self.seeds = seeds
    }
}

extension MeasuredTable {
    /// The statistics of one cell.
    public func measurement(_ cell: CellReference, level: Double = 0.95) -> CellMeasurement {
        if let column = table.column(cell.column), !column.measured { return CellMeasurement(state: .reportedOnly) }
        switch usableSamples(cell) {
        case let .success(samples):
            return CellMeasurement(values: samples, partial: cells[cell]?.status == .partial, level: level)
        case .failure:
            return CellMeasurement(state: state(of: cell))
        }
    }

    /// The row's measured difference to its baseline row in `column` (value − baseline, paired by
    /// seed, in raw units like the printed deltas); nil when the row has no baseline.
    public func measuredDelta(row: TableRow, column: String, level: Double = 0.95) -> CellMeasurement? {
        guard let baseline = row.baseline else { return nil }
        if let spec = table.column(column), !spec.measured { return CellMeasurement(state: .reportedOnly) }
        let a = CellReference(row: row.key, column: column), b = CellReference(row: baseline, column: column)
        if let blocker = blocker(among: [a, b]) {
            // Name the state of the cell that decided (not implemented before failed before not run).
            let culprit = [a, b].first { usableSamples($0) == .failure(blocker) } ?? a
            return CellMeasurement(state: state(of: culprit))
        }
        guard case let .success(x) = usableSamples(a), case let .success(y) = usableSamples(b) else { return nil }
        let paired = PairedDifference(x, minus: y, level: level)
        var result = CellMeasurement(values: Dictionary(uniqueKeysWithValues: zip(paired.seeds, paired.differences)),
                                     partial: cells[a]?.status == .partial || cells[b]?.status == .partial, level: level)
        result.interval = paired.interval
        return result
    }

    /// Every seed with at least one value in the table, ascending.
    public var seeds: [Int] {
        Set(cells.values.flatMap(\.samples.keys)).sorted()
    }

    /// The display state of a cell without usable samples.
    private func state(of cell: CellReference) -> CellMeasurement.State {
        switch cells[cell]?.status {
        case let .notImplemented(reason)?: return .notImplemented(reason: reason)
        case let .failed(reason)?: return .failed(reason: reason)
        case .notMeasured?: return .reportedOnly
        default: return .notRun
        }
    }
}
