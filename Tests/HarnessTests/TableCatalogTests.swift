import Foundation
import Testing
@testable import Harness

/// The catalog over a temporary `tables/` tree built from the fixture.
@Suite struct TableCatalogTests {
    /// Writes the fixture as each `paper/table` given, with the paper and table fields adjusted.
    func makeTree(_ ids: [(String, String)], extra: [String: String] = [:]) throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("harness-catalog-\(UUID().uuidString)").appendingPathComponent("tables")
        for (paper, table) in ids {
            let directory = root.appendingPathComponent(paper)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let text = TableFixture.text(replacing: [2: "  key: \(paper)", 5: "table: \"\(table)\""])
            try text.write(to: directory.appendingPathComponent("table\(table).yaml"), atomically: true, encoding: .utf8)
        }
        for (path, text) in extra {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    static let ids = [("lgd", "10"), ("ld", "2"), ("unikd", "6b"), ("ld", "1b"), ("rm", "3"), ("unikd", "6a"),
                      ("ld", "1a"), ("lgd", "3"), ("unikd", "3"), ("ld", "3"), ("lgd", "6a")]

    @Test func loadsAndSortsByPaperThenNaturalOrder() throws {
        let catalog = try TableCatalog.load(from: makeTree(Self.ids))
        #expect(catalog.tables.map(\.id.description) == [
            "ld/table1a", "ld/table1b", "ld/table2", "ld/table3", "rm/table3", "unikd/table3", "unikd/table6a",
            "unikd/table6b", "lgd/table3", "lgd/table6a", "lgd/table10",
        ])
        #expect(catalog.tables[0].file == "tables/ld/table1a.yaml")
    }

    @Test func selectsByName() throws {
        let catalog = try TableCatalog.load(from: makeTree(Self.ids))
        func names(_ query: String) throws -> [String] { try catalog.select(query).map(\.id.description) }
        #expect(try names("table3") == ["ld/table3", "rm/table3", "unikd/table3", "lgd/table3"])
        #expect(try names("ld/table3") == ["ld/table3"])
        #expect(try names("LD/Table3") == ["ld/table3"])
        #expect(try names("tables/ld/table3.yaml") == ["ld/table3"])
        #expect(try names("ld/3") == ["ld/table3"])
        #expect(try names("table1") == ["ld/table1a", "ld/table1b"])
        #expect(try names("table6") == ["unikd/table6a", "unikd/table6b", "lgd/table6a"])
        #expect(try names("table6a") == ["unikd/table6a", "lgd/table6a"])
        #expect(try names("unikd") == ["unikd/table3", "unikd/table6a", "unikd/table6b"])
        #expect(try names("all").count == Self.ids.count)
    }

    @Test func unknownNamesListCloseMatches() throws {
        let catalog = try TableCatalog.load(from: makeTree(Self.ids))
        #expect(throws: TableSelectionError.self) { try catalog.select("tabel3") }
        do {
            _ = try catalog.select("ld/table4")
        } catch let error as TableSelectionError {
            #expect(error.closeMatches.contains("ld/table3"))
            #expect(error.description.hasPrefix("no table matches 'ld/table4'; close matches: "))
        }
        #expect(throws: TableSelectionError.self) { try catalog.select("xx/table3") }
        #expect(throws: TableSelectionError.self) { try catalog.select("table") }
    }

    @Test func reportsEveryMalformedFile() throws {
        let broken = TableFixture.text(replacing: [2: "  key: rm", 5: "table: \"2\"", 25: "    baseline: bse"])
        let root = try makeTree([("ld", "3")], extra: [
            "rm/table2.yaml": broken,
            "lgd/table5.yaml": TableFixture.text(), // declares ld/table3
            "ld/notes.txt": "ignored",
        ])
        do {
            _ = try TableCatalog.load(from: root)
            Issue.record("expected a TableLoadError")
        } catch let error as TableLoadError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains("tables/rm/table2.yaml:25: row 'ld': baseline 'bse' is not a row of this table (did you mean 'base'?)"))
            #expect(lines.contains { $0.hasPrefix("tables/lgd/table5.yaml:5: the file name says lgd/table5") })
            #expect(error.description.hasPrefix("\(lines.count) problems in 2 table files:"))
        }
    }

    @Test func locatesTheTablesDirectory() throws {
        let tables = try makeTree([("ld", "3")])
        let package = tables.deletingLastPathComponent()
        // --tables wins; a wrong --tables is an error, not a fallback.
        #expect(try TablesDirectoryLocator.locate(explicit: tables.path, currentDirectory: URL(fileURLWithPath: "/"), executable: nil).path
            == tables.standardizedFileURL.path)
        #expect(throws: TablesDirectoryNotFound.self) {
            try TablesDirectoryLocator.locate(explicit: "/nonexistent/tables", currentDirectory: package, executable: nil)
        }
        // ./tables relative to the current directory.
        #expect(try TablesDirectoryLocator.locate(explicit: nil, currentDirectory: package, executable: nil).path
            == tables.standardizedFileURL.path)
        // Walking up from an executable inside the package (needs a Package.swift beside tables/).
        let executable = package.appendingPathComponent(".build/debug/bench")
        try FileManager.default.createDirectory(at: executable.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(throws: TablesDirectoryNotFound.self) {
            try TablesDirectoryLocator.locate(explicit: nil, currentDirectory: URL(fileURLWithPath: "/"), executable: executable)
        }
        try "// swift-tools-version:6.0".write(to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        #expect(try TablesDirectoryLocator.locate(explicit: nil, currentDirectory: URL(fileURLWithPath: "/"), executable: executable).path
            == tables.standardizedFileURL.path)
    }
}
