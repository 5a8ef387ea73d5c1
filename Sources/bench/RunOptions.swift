import ArgumentParser
import Foundation
import Harness

extension ScaleProfile: ExpressibleByArgument {}

/// Options shared by the commands that plan or run tables: `--scale`, `--seeds`, `--db`,
/// `--data-root`.
struct RunOptions: ParsableArguments {
    @Option(help: "Scale profile: smoke (seconds per run, no verdicts), small (minutes per run, synthetic data), full (the paper's protocol on real data).")
    var scale: ScaleProfile = .small

    @Option(help: "Seeds per cell (default: smoke 1, small 3, full 1).")
    var seeds: Int?

    @Option(help: ArgumentHelp("The run store (SQLite).", valueName: "PATH"))
    var db: String = RunStore.defaultRelativePath

    @Option(help: ArgumentHelp("Where full-scale datasets live (coco/, VOCdevkit/, crowdhuman/, dota/).", valueName: "DIR"))
    var dataRoot: String = TableRunRequest.defaultDataRoot

    var currentDirectory: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true) }

    var databaseFile: URL { URL(fileURLWithPath: db, relativeTo: currentDirectory).standardizedFileURL }

    var dataRootDirectory: URL { URL(fileURLWithPath: dataRoot, relativeTo: currentDirectory).standardizedFileURL }

    func request(_ tables: [String]) -> TableRunRequest {
        TableRunRequest(tableNames: tables, scale: scale, seeds: seeds, dataRoot: dataRootDirectory)
    }

    func openStore() throws -> RunStore {
        try reportingRunFailures { try RunStore(file: databaseFile) }
    }
}

/// `reportingFailures` for the run commands: the planner's and the store's errors are printed
/// plainly on standard error and end the command with status 1.
func reportingRunFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try reportingFailures(body)
    } catch let error as MissingDatasets {
        printError(error.description)
    } catch let error as NoTablesGiven {
        printError(error.description)
    } catch let error as InvalidSeedCount {
        printError(error.description)
    } catch let error as ImportError {
        printError(error.description)
    } catch let error as StoreError {
        printError(error.description)
    } catch let error as ExitCode {
        throw error
    } catch {
        printError(String(describing: error))
    }
    throw ExitCode.failure
}
