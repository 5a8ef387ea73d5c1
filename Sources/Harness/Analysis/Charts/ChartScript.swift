import Foundation

/// One chart as files: a gnuplot script that draws `<name>.png` and `<name>.svg` from data files
/// beside it. Everything is generated text, so a chart can be inspected, edited and redrawn by
/// hand (`cd charts/small && gnuplot ld-table1a-bars-AP.gp`) without the harness.
public struct ChartScript: Sendable {
    public enum Kind: String, Sendable {
        case bars, heatmap, sweep
    }

    /// File stem: `ld-table1a-bars-AP`.
    public var name: String
    public var kind: Kind
    /// The script text (reads its data files by name, relative to its own directory).
    public var script: String
    /// File name → contents.
    public var dataFiles: [String: String]

    public var scriptFile: String { name + ".gp" }
    public var imageFiles: [String] { [name + ".png", name + ".svg"] }

    /// Writes the script and its data files into `directory`; returns their URLs.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var urls: [URL] = []
        for (file, contents) in dataFiles.sorted(by: { $0.key < $1.key }) {
            let url = directory.appendingPathComponent(file)
            try contents.write(to: url, atomically: true, encoding: .utf8)
            urls.append(url)
        }
        let url = directory.appendingPathComponent(scriptFile)
        try script.write(to: url, atomically: true, encoding: .utf8)
        urls.append(url)
        return urls
    }
}
