import Foundation

/// Writes the Markdown report of every table to `<outputDirectory>/reports/<scale>/<paper>-table<id>.md`
/// (`<outputDirectory>/<scale>/…` when `outputDirectory` already ends in `reports`),
/// refreshes each scale's index `reports/<scale>/README.md`, and prints the terminal report of
/// every table to standard output. Returns the files written (reports, then indexes).
///
/// `provenance` is the store's summary (code version, host, database, …), printed in every header.
public func renderReports(_ tables: [MeasuredTable], outputDirectory: URL,
                          provenance: [String: String] = [:]) throws -> [URL] {
    try ReportWriter(outputDirectory: outputDirectory, provenance: provenance).write(tables) { print($0, terminator: "") }
}

/// `renderReports` with the terminal output and the confidence level under the caller's control
/// (tests capture the text instead of printing it).
public struct ReportWriter {
    public var outputDirectory: URL
    public var provenance: [String: String]
    public var level: Double
    public var terminalWidth: Int

    public init(outputDirectory: URL, provenance: [String: String] = [:], level: Double = 0.95, terminalWidth: Int = 120) {
        self.outputDirectory = outputDirectory
        self.provenance = provenance
        self.level = level
        self.terminalWidth = terminalWidth
    }

    /// The directory of one scale's reports: `<outputDirectory>/reports/<scale>`, or
    /// `<outputDirectory>/<scale>` when `outputDirectory` is itself a `reports` directory (so that
    /// both the store's directory and its `reports/` work, and `reports/reports/` never appears).
    public func directory(scale: String) -> URL {
        OutputLayout.directory(outputDirectory, kind: "reports").appendingPathComponent(scale)
    }

    public func write(_ tables: [MeasuredTable], terminal: (String) -> Void) throws -> [URL] {
        var written: [URL] = []
        var entriesByScale: [String: [ReportIndex.Entry]] = [:]
        for measured in tables.sorted(by: { $0.table.id < $1.table.id }) {
            terminal(TerminalReport(measured, provenance: provenance, level: level, width: terminalWidth).text + "\n")
            let directory = directory(scale: measured.scale)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let url = directory.appendingPathComponent(MarkdownReport.fileName(for: measured.table.id))
            try MarkdownReport(measured, provenance: provenance, level: level).text.write(to: url, atomically: true, encoding: .utf8)
            written.append(url)
            entriesByScale[measured.scale, default: []].append(ReportIndex.entry(for: measured, verdicts: measured.claimVerdicts(level: level)))
        }
        for scale in entriesByScale.keys.sorted() {
            let directory = directory(scale: scale)
            written.append(try ReportIndex.merged(in: directory, scale: scale, new: entriesByScale[scale]!).write(to: directory, provenance: provenance))
        }
        return written
    }
}

/// Where reports and charts go under the directory a caller names.
enum OutputLayout {
    /// `base/<kind>`, unless `base` already is a `<kind>` directory.
    static func directory(_ base: URL, kind: String) -> URL {
        base.standardizedFileURL.lastPathComponent == kind ? base : base.appendingPathComponent(kind)
    }
}
