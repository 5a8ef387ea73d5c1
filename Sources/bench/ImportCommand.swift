import ArgumentParser
import Foundation
import Harness

/// `bench import runs.jsonl`: adds exported attempts to the store (idempotent).
struct ImportRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read run attempts written by `bench export` into the store; attempts already present are skipped.")

    @Argument(help: "JSON-lines files written by `bench export`.")
    var files: [String]

    @Option(help: ArgumentHelp("The run store (SQLite).", valueName: "PATH"))
    var db: String = RunStore.defaultRelativePath

    func run() throws {
        let store = try reportingRunFailures { try RunStore(file: URL(fileURLWithPath: db)) }
        for file in files {
            let summary = try reportingRunFailures { () throws -> ImportSummary in
                let text = try String(contentsOfFile: file, encoding: .utf8)
                do {
                    return try store.importJSONLines(text)
                } catch let error as ImportError {
                    throw ImportError(line: error.line, message: error.message, file: file)
                }
            }
            print("\(file): \(summary)")
        }
    }
}
