import ArgumentParser
import Foundation
import Harness

/// `bench export > runs.jsonl`: every finished attempt as JSON lines, to commit or carry over.
struct ExportRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the store's finished run attempts as JSON lines (to standard output or --output).")

    @Option(help: ArgumentHelp("The run store (SQLite).", valueName: "PATH"))
    var db: String = RunStore.defaultRelativePath

    @Option(help: "Only attempts of this scale.")
    var scale: ScaleProfile?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
    var output: String?

    func run() throws {
        let file = URL(fileURLWithPath: db)
        guard FileManager.default.fileExists(atPath: file.path) else {
            printError("no run store at \(file.path)")
            throw ExitCode.failure
        }
        let text = try reportingRunFailures { try RunStore(file: file).exportJSONLines(scale: scale) }
        if let output {
            try reportingRunFailures { try text.write(toFile: output, atomically: true, encoding: .utf8) }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
