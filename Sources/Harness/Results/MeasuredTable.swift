/// What the harness measured for one table at one scale: the hand-off between the run store
/// (which fills it) and the analysis layer (statistics, verdicts, reports, charts, which read it).

/// The state of one cell (row × column) of a table.
public enum CellStatus: Equatable, Sendable {
    /// Every planned seed finished; `samples` holds one value per seed.
    case measured
    /// Some seeds finished, others are still planned or running.
    case partial
    /// A method, detector or metric the suite does not implement: never shows a number.
    case notImplemented(reason: String)
    /// Nothing run yet.
    case notRun
    /// The column is reported only (parameters, FPS…): nothing to measure.
    case notMeasured
    /// The run failed or diverged, or completed without a value for the cell (a Pearson r that
    /// is undefined because every pair had a constant tensor); the reason names the run and says
    /// which. Samples of the other seeds may be kept, but the cell shows no number.
    case failed(reason: String)
}

public struct MeasuredCell: Equatable, Sendable {
    public var status: CellStatus
    /// Seed → measured value. Seeds are shared across rows, so differences can be paired.
    public var samples: [Int: Double]
    /// The schedule the cell's runs train under (nil: no run), so that reports can say when two
    /// compared cells were not trained alike at this scale.
    public var schedule: ScheduleSpec?

    public init(status: CellStatus, samples: [Int: Double] = [:], schedule: ScheduleSpec? = nil) {
        self.status = status
        self.samples = samples
        self.schedule = schedule
    }
}

public struct MeasuredTable: Sendable {
    public var table: TableSpec
    /// "smoke", "small" or "full". Smoke results never produce verdicts.
    public var scale: String
    public var cells: [CellReference: MeasuredCell]
    /// The validation objects behind the table's APs, APm and APl columns, per validation set
    /// (`ValidationObjectSizes.attach`; empty when not attached, when the table has no size
    /// column, or when it reads only real data).
    public var objectSizes: [ValidationObjectSizes]

    public init(table: TableSpec, scale: String, cells: [CellReference: MeasuredCell], objectSizes: [ValidationObjectSizes] = []) {
        self.table = table
        self.scale = scale
        self.cells = cells
        self.objectSizes = objectSizes
    }
}
