/// A problem with an evaluation input. The message always names the file (or the caller-given source
/// label) and, where there is one, the JSON path of the offending value, e.g.
/// `gt.json: annotations[12].bbox must have 4 numbers (found 3)`.
public struct EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let source: String
    public let message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
