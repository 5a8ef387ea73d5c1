import Foundation

/// What `bench <tables…>` and `bench plan <tables…>` were asked for, and the checks that turn it
/// into a plan or a clear error: unknown table names (`TableSelectionError`, with close matches)
/// and, at full scale, datasets missing under the data root (`MissingDatasets`).
public struct TableRunRequest: Sendable {
    public var tableNames: [String]
    public var scale: ScaleProfile
    /// Nil: the profile's default.
    public var seeds: Int?
    /// Where full-scale datasets live (`--data-root`, default `./data`).
    public var dataRoot: URL

    public static let defaultDataRoot = "data"

    public init(tableNames: [String], scale: ScaleProfile = .small, seeds: Int? = nil, dataRoot: URL) {
        self.tableNames = tableNames
        self.scale = scale
        self.seeds = seeds
        self.dataRoot = dataRoot
    }

    /// The selected tables, each once, in catalog order.
    public func tables(in catalog: TableCatalog) throws -> [TableSpec] {
        guard !tableNames.isEmpty else { throw NoTablesGiven() }
        var selected: Set<TableID> = []
        for name in tableNames {
            for table in try catalog.select(name) { selected.insert(table.id) }
        }
        return catalog.tables.filter { selected.contains($0.id) }
    }

    /// Plans the selected tables. With `requireData` (running, not just listing), a full-scale
    /// plan whose datasets are missing throws `MissingDatasets` naming every expected path.
    public func plan(catalog: TableCatalog, requireData: Bool) throws -> Plan {
        if let seeds, seeds < 1 { throw InvalidSeedCount(seeds: seeds) }
        let plan = Planner.plan(try tables(in: catalog), scale: scale, seeds: seeds ?? scale.defaultSeeds)
        if requireData {
            let missing = MissingDataset.check(plan.realDatasets, dataRoot: dataRoot)
            if !missing.isEmpty { throw MissingDatasets(missing: missing) }
        }
        return plan
    }
}

/// Every dataset a full-scale plan needs and does not find.
public struct MissingDatasets: Error, CustomStringConvertible, Sendable {
    public var missing: [MissingDataset]
    public var description: String { missing.map(\.description).joined(separator: "\n") }
}

public struct NoTablesGiven: Error, CustomStringConvertible, Sendable {
    public var description: String { "name at least one table: table3, ld/table3, ld, all (`bench list` shows every table)" }
}

public struct InvalidSeedCount: Error, CustomStringConvertible, Sendable {
    public var seeds: Int
    public var description: String { "--seeds must be at least 1 (got \(seeds))" }
}
