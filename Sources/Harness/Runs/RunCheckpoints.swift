import Foundation

/// Where a run keeps its periodic checkpoints inside its work directory, and which one a restart
/// resumes from. One naming rule shared by the runner (which looks) and the executor (which
/// writes), so resuming does not depend on an executor's private conventions.
public enum RunCheckpoints {
    /// `<work>/checkpoints/`.
    public static func directory(in workDirectory: URL) -> URL {
        workDirectory.appendingPathComponent("checkpoints", isDirectory: true)
    }

    /// `<work>/checkpoints/iter-00001200.ckpt`: zero-padded so names sort by iteration.
    public static func url(in workDirectory: URL, iteration: Int) -> URL {
        let digits = String(iteration)
        let padded = String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        return directory(in: workDirectory).appendingPathComponent("iter-\(padded).ckpt")
    }

    /// The checkpoint with the highest iteration, if any; failing that, the most recently written
    /// `*.ckpt` directly in the work directory (for a trainer that overwrites one file, such as
    /// `final.ckpt`, at every periodic save). Files still being written should be written under
    /// another name and renamed into place (rename is atomic), so a checkpoint found is complete.
    public static func latest(in workDirectory: URL) -> URL? {
        let folder = directory(in: workDirectory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let best = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("iter-"), name.hasSuffix(".ckpt"),
                  let iteration = Int(name.dropFirst("iter-".count).dropLast(".ckpt".count)) else { return nil }
            return (iteration, name)
        }.max { $0.0 < $1.0 }
        if let best { return folder.appendingPathComponent(best.1) }
        let files = ((try? FileManager.default.contentsOfDirectory(at: workDirectory, includingPropertiesForKeys: [.contentModificationDateKey])) ?? [])
            .filter { $0.pathExtension == "ckpt" }
        return files.max { modified($0) < modified($1) }
    }

    private static func modified(_ url: URL) -> Date {
        (try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast
    }
}
