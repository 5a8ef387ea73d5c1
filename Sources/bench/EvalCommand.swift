import ArgumentParser
import Evaluation
import Foundation

/// `bench eval --gt val.json --dt results.json`: COCO bounding-box evaluation, equal to pycocotools.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a COCO results file against a COCO ground-truth file (bbox AP/AR, as pycocotools).")

    @Option(name: .long, help: ArgumentHelp("COCO ground-truth JSON (images, annotations, categories).", valueName: "path"))
    var gt: String

    @Option(name: .long, help: ArgumentHelp("COCO results JSON: an array of {image_id, category_id, bbox, score}.", valueName: "path"))
    var dt: String

    @Flag(name: .long, help: "Print one JSON object with the 12 stats as fractions (-1 where undefined).")
    var json = false

    /// Failures surface as `EvaluationError`s ("<file>: <what is wrong>"), which ArgumentParser
    /// prints as "Error: ..." with exit status 1.
    func run() throws {
        let evaluator = try COCOEvaluator(groundTruthFile: URL(fileURLWithPath: gt))
        let evaluation = try evaluator.evaluate(resultsFile: URL(fileURLWithPath: dt))
        if json {
            // Swift's Double description is the shortest exact round-trip form, valid JSON.
            let fields = zip(COCOStats.names, evaluation.stats.values).map { "\"\($0)\": \($1)" }
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print(evaluation.summaryText)
        }
    }
}
