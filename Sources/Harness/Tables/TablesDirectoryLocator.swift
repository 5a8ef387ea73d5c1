import Foundation

/// No `tables/` directory was found where one was looked for.
public struct TablesDirectoryNotFound: Error, CustomStringConvertible {
    public var looked: [String]

    public var description: String {
        "cannot find the tables directory; looked in:\n" + looked.map { "  " + $0 }.joined(separator: "\n")
            + "\nrun from the package root or pass --tables DIR"
    }
}

/// Finds the `tables/` directory: an explicit `--tables DIR`, else `./tables`, else the package
/// root found by walking up from the executable (`.build/debug/bench` → the package), so that
/// `bench` works when started from anywhere inside or outside the checkout.
public enum TablesDirectoryLocator {
    public static func locate(explicit: String?, currentDirectory: URL, executable: URL?) throws -> URL {
        let manager = FileManager.default
        func isDirectory(_ url: URL) -> Bool {
            var flag: ObjCBool = false
            return manager.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
        }

        if let explicit {
            let url = URL(fileURLWithPath: explicit, relativeTo: currentDirectory).standardizedFileURL
            // An explicit choice is never second-guessed: if it is wrong, say so rather than
            // silently reading some other directory.
            guard isDirectory(url) else { throw TablesDirectoryNotFound(looked: [url.path + " (given by --tables)"]) }
            return url
        }

        var looked: [String] = []
        let local = currentDirectory.appendingPathComponent("tables").standardizedFileURL
        if isDirectory(local) { return local }
        looked.append(local.path)

        if let executable {
            var directory = executable.resolvingSymlinksInPath().deletingLastPathComponent().standardizedFileURL
            while directory.pathComponents.count > 1 {
                let candidate = directory.appendingPathComponent("tables")
                if manager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path), isDirectory(candidate) {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
            looked.append("the package holding \(executable.path) (no Package.swift with a tables/ beside it above it)")
        }
        throw TablesDirectoryNotFound(looked: looked)
    }

    /// The running executable, for the walk up to the package root.
    public static var currentExecutable: URL? {
        #if os(Linux)
        let proc = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if proc.path != "/proc/self/exe" { return proc }
        #endif
        return Bundle.main.executableURL ?? CommandLine.arguments.first.map { URL(fileURLWithPath: $0) }
    }
}
