import Foundation
import Testing
@testable import Harness

/// What `bench <tables…>` and `bench plan` check before anything runs, through the functions the
/// commands call: unknown tables, malformed table files, missing datasets, bad seed counts; and
/// what they print: a not-implemented cell never shows a number.
@Suite struct BenchCommandTests {
    let catalog: TableCatalog

    init() throws {
        catalog = try TableCatalog.load(from: RunsFixture.tablesDirectory)
    }

    func request(_ tables: [String], scale: ScaleProfile = .small, seeds: Int? = nil, dataRoot: URL? = nil) -> TableRunRequest {
        TableRunRequest(tableNames: tables, scale: scale, seeds: seeds,
                        dataRoot: dataRoot ?? URL(fileURLWithPath: "/nonexistent-data-root"))
    }

    @Test func unknownTableIsAnErrorWithCloseMatches() {
        #expect {
            _ = try request(["tabel3"]).plan(catalog: catalog, requireData: true)
        } throws: { error in
            guard let error = error as? TableSelectionError else { return false }
            return error.name == "tabel3" && !error.closeMatches.isEmpty
        }
    }

    @Test func noTableIsAnError() {
        #expect(throws: NoTablesGiven.self) { try request([]).plan(catalog: catalog, requireData: false) }
    }

    @Test func seedsMustBePositive() {
        #expect(throws: InvalidSeedCount.self) { try request(["ld/table3"], seeds: 0).plan(catalog: catalog, requireData: false) }
    }

    @Test func malformedTableFileIsReportedWithItsLine() throws {
        let directory = try RunsFixture.temporaryDirectory("tables")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("ld"), withIntermediateDirectories: true)
        let broken = RunsFixture.distillationYAML.replacingOccurrences(of: "    label: \"R-18\"\n", with: "    label: \"R-18\"\n    distilation: []\n")
        try broken.write(to: directory.appendingPathComponent("ld/table3.yaml"), atomically: true, encoding: .utf8)
        #expect {
            _ = try TableCatalog.load(from: directory)
        } throws: { error in
            (error as? TableLoadError)?.diagnostics.contains {
                $0.file.hasSuffix("ld/table3.yaml") && $0.line > 0 && $0.message.contains("distilation")
            } ?? false
        }
    }

    @Test func missingDatasetAtFullScaleNamesTheExpectedPath() throws {
        let root = try RunsFixture.temporaryDirectory("data")
        #expect {
            _ = try request(["ld/table3"], scale: .full, dataRoot: root).plan(catalog: catalog, requireData: true)
        } throws: { error in
            (error as? MissingDatasets)?.description.contains(root.appendingPathComponent("coco").path) ?? false
        }
        // Listing a full-scale plan works without the data (it only warns).
        let plan = try request(["ld/table3"], scale: .full, dataRoot: root).plan(catalog: catalog, requireData: false)
        #expect(plan.runs.allSatisfy { $0.spec.dataset.directory == "coco" })
        // Smoke and small never need a dataset on disk.
        _ = try request(["ld/table3"], scale: .smoke, dataRoot: root).plan(catalog: catalog, requireData: true)
    }

    @Test func selectingATableTwiceRunsItOnce() throws {
        let tables = try request(["ld/table3", "ld", "table3"]).tables(in: catalog)
        #expect(tables.filter { $0.id == TableID(paper: .ld, table: "3") }.count == 1)
    }

    /// With the stand-in executor, every cell of `bench table3` reads "not implemented" (with the
    /// missing piece named), never a number, and nothing is executed.
    @Test func unimplementedCellsNeverShowANumber() throws {
        let plan = try request(["table3"], scale: .smoke).plan(catalog: catalog, requireData: true)
        let store = try RunsFixture.temporaryStore()
        let executor = UnimplementedExecutor()
        let summary = try Runner(store: store, executor: executor, provenance: RunsFixture.provenance()).run(plan)
        #expect(!summary.hasFailures)
        #expect(summary.count { if case .notImplemented = $0 { return true }; return false } == plan.runs.count)
        for table in try store.measuredTables(plan, support: SupportCheck(executor: executor)) {
            for (reference, cell) in table.cells {
                #expect(cell.samples.isEmpty, "\(table.table.id) \(reference) has a number")
                if case .notMeasured = cell.status { continue }
                guard case let .notImplemented(reason) = cell.status else {
                    Issue.record("\(table.table.id) \(reference) is \(cell.status)"); continue
                }
                #expect(reason.contains("not implemented"))
            }
        }
    }

    @Test func unimplementedExecutorNamesDetectorAndMethods() {
        let spec = RunsFixture.spec(distilled: true)
        #expect(UnimplementedExecutor().support(spec)
                == .notImplemented("detector gfl: not implemented yet; method ld: not implemented yet"))
    }

    @Test func planListingShowsRunsAndTotal() throws {
        let plan = try request(["ld/table3"], scale: .small).plan(catalog: catalog, requireData: false)
        let text = PlanListing.render(plan, states: [:], support: SupportCheck(executor: FakeExecutor()), estimate: RunTimeEstimate())
        #expect(text.contains(shortRunID(plan.runs[0].id)))
        #expect(text.contains("\(plan.runs.count) distinct runs"))
        #expect(text.contains("\(plan.runs.count) to run"))
        // 3 seeds × (3 baselines + 3 distilled + 1 teacher).
        #expect(plan.runs.count == 21)
    }
}
