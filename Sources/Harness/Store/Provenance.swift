import Foundation
import Tensor

/// What ran an attempt: recorded with it, but not part of the run's id (a run's identity is what
/// it computes; which commit, machine and BLAS kernels computed it is provenance, used to explain
/// differences rather than to split the cache).
public struct Provenance: Codable, Hashable, Sendable {
    /// `git rev-parse HEAD` of the checkout, if it is one.
    public var codeVersion: String?
    /// The checkout had uncommitted changes.
    public var codeDirty: Bool?
    public var host: String
    public var pid: Int
    public var blasCore: String
    public var blasThreads: Int
    public var kernelThreads: Int

    public init(codeVersion: String?, codeDirty: Bool?, host: String, pid: Int, blasCore: String,
                blasThreads: Int, kernelThreads: Int) {
        self.codeVersion = codeVersion
        self.codeDirty = codeDirty
        self.host = host
        self.pid = pid
        self.blasCore = blasCore
        self.blasThreads = blasThreads
        self.kernelThreads = kernelThreads
    }

    /// This process, with the git state of `directory` (the package checkout).
    public static func current(directory: URL) -> Provenance {
        let head = git(["rev-parse", "HEAD"], in: directory)
        let status = head == nil ? nil : git(["status", "--porcelain", "--untracked-files=no"], in: directory)
        return Provenance(codeVersion: head, codeDirty: status.map { !$0.isEmpty },
                          host: ProcessInfo.processInfo.hostName,
                          pid: Int(ProcessInfo.processInfo.processIdentifier),
                          blasCore: BLASInfo.coreName, blasThreads: BLASInfo.threads,
                          kernelThreads: Parallelism.workers)
    }

    /// Output of `git <arguments>` run in `directory`, trimmed; nil when git or the checkout is
    /// missing.
    static func git(_ arguments: [String], in directory: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
