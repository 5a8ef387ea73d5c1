import ArgumentParser
import Foundation
import Harness

/// `--tables DIR`, shared by every command that reads the table files.
struct TablesOptions: ParsableArguments {
    @Option(name: .customLong("tables"),
            help: ArgumentHelp("The tables directory (default: ./tables, else the tables/ of the package that built bench).",
                               valueName: "DIR"))
    var directory: String?

    /// Locates, loads and validates every table file. A malformed file ends the command with its
    /// problems listed as file:line on standard error and a non-zero exit status.
    func loadCatalog() throws -> TableCatalog {
        try reportingFailures {
            let directory = try TablesDirectoryLocator.locate(
                explicit: directory,
                currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                executable: TablesDirectoryLocator.currentExecutable)
            return try TableCatalog.load(from: directory)
        }
    }
}

/// Runs `body`; a harness error is printed plainly to standard error (not through
/// ArgumentParser's usage text, which would bury the file:line list) and exits with status 1.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as TableLoadError {
        printError(error.description)
    } catch let error as TablesDirectoryNotFound {
        printError(error.description)
    } catch let error as TableSelectionError {
        printError(error.description)
    }
    throw ExitCode.failure
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
}
