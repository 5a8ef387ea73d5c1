import Foundation

/// `reports/<scale>/README.md`: one line per table report in the directory, with its verdict
/// tally. Reports are often rendered a few tables at a time (`bench table3`), so the entries of
/// tables not rendered now are kept from `index.json` beside it rather than dropped.
struct ReportIndex {
    struct Entry: Codable, Equatable {
        var paper: String
        var table: String
        var file: String
        var caption: String
        var claims: Int
        var tally: String
        var notImplementedCells: Int
    }

    var scale: String
    var entries: [Entry]

    static let sidecar = "index.json"

    /// The entries already in `directory`, replaced or extended by `new`, in catalog order.
    static func merged(in directory: URL, scale: String, new: [Entry]) -> ReportIndex {
        var byFile: [String: Entry] = [:]
        if let data = try? Data(contentsOf: directory.appendingPathComponent(sidecar)),
           let old = try? JSONDecoder().decode([Entry].self, from: data) {
            // Keep an old entry only while its report file is still there.
            for entry in old where FileManager.default.fileExists(atPath: directory.appendingPathComponent(entry.file).path) {
                byFile[entry.file] = entry
            }
        }
        for entry in new { byFile[entry.file] = entry }
        let sorted = byFile.values.sorted { lhs, rhs in
            let left = PaperKey(rawValue: lhs.paper).map { TableID(paper: $0, table: lhs.table) }
            let right = PaperKey(rawValue: rhs.paper).map { TableID(paper: $0, table: rhs.table) }
            if let left, let right, left != right { return left < right }
            return lhs.file < rhs.file
        }
        return ReportIndex(scale: scale, entries: sorted)
    }

    static func entry(for measured: MeasuredTable, verdicts: [ClaimVerdict]) -> Entry {
        let notImplemented = measured.cells.values.filter {
            if case .notImplemented = $0.status { return true } else { return false }
        }.count
        return Entry(paper: measured.table.id.paper.rawValue, table: measured.table.id.table,
                     file: MarkdownReport.fileName(for: measured.table.id), caption: measured.table.caption,
                     claims: verdicts.count, tally: verdicts.isEmpty ? "no claims" : Verdict.tally(verdicts.map(\.verdict)),
                     notImplementedCells: notImplemented)
    }

    func write(to directory: URL, provenance: [String: String]) throws -> URL {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(entries).write(to: directory.appendingPathComponent(Self.sidecar))
        let url = directory.appendingPathComponent("README.md")
        try markdown(provenance: provenance).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func markdown(provenance: [String: String]) -> String {
        var out = ["# Reproduction reports — scale \(scale)", ""]
        if scale.lowercased() == "smoke" {
            out += ["Smoke scale proves the pipeline end to end; it never yields a verdict.", ""]
        }
        for key in provenance.keys.sorted() { out.append("- \(MarkdownReport.escape(key)): \(MarkdownReport.escape(provenance[key]!))") }
        if !provenance.isEmpty { out.append("") }
        out.append("| Paper | Table | Caption | Claims | Cells not implemented |")
        out.append("|---|---|---|---|---:|")
        for entry in entries {
            let paper = PaperKey(rawValue: entry.paper)?.displayName ?? entry.paper
            let caption = entry.caption.count > 90 ? String(entry.caption.prefix(89)) + "…" : entry.caption
            out.append("| \(paper) | [\(entry.table)](\(entry.file)) | \(MarkdownReport.escape(caption)) | \(entry.tally) | \(entry.notImplementedCells) |")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
