/// What a set of tables needs run at one scale: the distinct runs in dependency order and, per
/// table cell, which run (per seed) measures it or why none can.
public struct Plan: Sendable {
    public var scale: ScaleProfile
    public var seeds: [Int]
    /// Each distinct run once, teachers before the students that depend on them.
    public var runs: [PlannedRun]
    public var tables: [TablePlan]

    public func run(_ id: String) -> PlannedRun? {
        index[id].map { runs[$0] }
    }

    var index: [String: Int]

    init(scale: ScaleProfile, seeds: [Int], runs: [PlannedRun], tables: [TablePlan]) {
        self.scale = scale
        self.seeds = seeds
        self.runs = runs
        self.tables = tables
        index = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1.id, $0) })
    }

    /// The real datasets the runs read (full scale); empty at smoke and small.
    public var realDatasets: [DatasetSpec] {
        var seen: Set<String> = []
        return runs.map(\.spec.dataset).filter { $0.directory != nil && seen.insert($0.name).inserted }
    }
}

/// One distinct run of a plan.
public struct PlannedRun: Sendable {
    /// `spec.id`, computed once.
    public var id: String
    public var spec: RunSpec
    /// The run this one needs finished first (its teacher), if any.
    public var teacherID: String?
    /// The cells it measures (a teacher used only as a teacher has none).
    public var uses: [CellUse]
    /// Some student depends on it.
    public var isTeacher: Bool
    /// For an analysis run (`RunSpec.analysis`): the training run it measures, needed finished
    /// (with its checkpoint) first.
    public var subjectID: String? = nil

    /// The runs this one needs finished first: the run it analyses, then its teacher.
    public var dependencies: [String] { [subjectID, teacherID].compactMap { $0 } }
}

/// A cell of a table measured by a run at one seed.
public struct CellUse: Hashable, Sendable {
    public var table: TableID
    public var cell: CellReference
    public var seed: Int
}

/// How one cell gets its value.
public enum CellPlan: Equatable, Sendable {
    /// The column is reported only (`measured: false`): no run.
    case notMeasured
    /// The setting cannot be turned into a run (unknown backbone, dataset, schedule…).
    case notImplemented(String)
    /// Seed → run id; the run reports `metric`.
    case runs(metric: String, seeds: [Int: String])
}

public struct TablePlan: Sendable {
    public var table: TableSpec
    public var cells: [CellReference: CellPlan]
}
