/// A problem with a dataset file. The message names the file and what is wrong with it, e.g.
/// `VOC2007/Annotations/000005.xml: malformed XML at line 7 (…)`.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or the caller-given source label) the problem is in.
    public let file: String
    public let message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
