import Foundation

/// gnuplot is not on this machine (or not where `GNUPLOT` points).
public struct GnuplotNotFound: Error, CustomStringConvertible {
    public var looked: String
    /// Where the chart scripts were written anyway, if they were.
    public var scriptsDirectory: URL?

    public var description: String {
        var text = "gnuplot was not found (\(looked)). Install it with the README's setup line, e.g. "
            + "`apt-get install -y --no-install-recommends gnuplot-nox fonts-dejavu-core` (pngcairo and svg are built in)"
        if let scriptsDirectory {
            text += "; the chart scripts and data are in \(scriptsDirectory.path) and draw with `gnuplot <name>.gp` there"
        }
        return text
    }
}

/// gnuplot ran but did not draw a chart.
public struct GnuplotFailed: Error, CustomStringConvertible {
    public var script: URL
    public var status: Int32
    public var standardError: String

    public var description: String {
        "gnuplot failed on \(script.path) (exit status \(status)):\n\(standardError)"
    }
}

/// Runs gnuplot through `Process`.
public struct Gnuplot: Sendable {
    public var executable: URL

    /// `GNUPLOT` from the environment if set, else the first `gnuplot` on `PATH`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Gnuplot {
        let manager = FileManager.default
        if let explicit = environment["GNUPLOT"], !explicit.isEmpty {
            guard manager.isExecutableFile(atPath: explicit) else { throw GnuplotNotFound(looked: "GNUPLOT=\(explicit) is not executable") }
            return Gnuplot(executable: URL(fileURLWithPath: explicit))
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("gnuplot")
            if manager.isExecutableFile(atPath: candidate.path) { return Gnuplot(executable: candidate) }
        }
        throw GnuplotNotFound(looked: "no gnuplot on PATH \(path)")
    }

    /// Runs `script` with its own directory as the working directory (the scripts name their data
    /// files relatively). Throws `GnuplotFailed` with gnuplot's messages on a non-zero exit.
    public func run(script: URL) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = [script.lastPathComponent]
        process.currentDirectoryURL = script.deletingLastPathComponent()
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Read before waiting: a chatty gnuplot could fill the pipe and block forever otherwise.
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GnuplotFailed(script: script, status: process.terminationStatus,
                                standardError: String(decoding: message, as: UTF8.self))
        }
    }
}
