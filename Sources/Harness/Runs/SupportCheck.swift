import Foundation

/// Asks the executor whether it can run a spec, teacher chain included: a student whose teacher
/// cannot be trained cannot be trained either, and says so ("teacher: detector gfl: not
/// implemented yet"). Answers are cached per run id; the executor's `support` is asked once.
public final class SupportCheck {
    private let executor: any RunExecutor
    private var cache: [String: Support] = [:]

    public init(executor: any RunExecutor) {
        self.executor = executor
    }

    public func support(_ spec: RunSpec) -> Support {
        let id = spec.id
        if let known = cache[id] { return known }
        var answer = executor.support(spec)
        var parts: [String] = []
        if case let .notImplemented(own) = answer { parts = own.components(separatedBy: "; ") }
        // An analysis run cannot run if the run it analyses cannot: its gaps are the same model's.
        if let subject = spec.subject, case let .notImplemented(reason) = support(subject) {
            for part in reason.components(separatedBy: "; ") where !parts.contains(part) { parts.append(part) }
            answer = .notImplemented(parts.joined(separator: "; "))
        }
        if let teacher = spec.teacher, case let .notImplemented(reason) = support(teacher) {
            // Name each missing piece once: the student's own gaps, then the teacher's others
            // ("detector retinanet: not implemented yet; method fgfi: …; teacher: backbone …").
            for part in reason.components(separatedBy: "; ") where !parts.contains(part) && !parts.contains("teacher: " + part) {
                parts.append(part.hasPrefix("teacher: ") ? part : "teacher: " + part)
            }
            answer = .notImplemented(parts.joined(separator: "; "))
        }
        cache[id] = answer
        return answer
    }
}
