/// The parts of a report that are the same in every format: the header facts, the claim
/// evidence as a tree, and the paper audit.
struct ReportSections {
    struct EvidenceItem {
        var verdict: Verdict
        /// The comparison ("t1.AP − none.AP > 0") or, for a predicate of several comparisons, the
        /// predicate as written in the table file.
        var subject: String
        /// The numbers and/or the reason.
        var detail: String
        var children: [EvidenceItem] = []
    }

    var measured: MeasuredTable
    var provenance: [String: String]
    var level: Double
    var verdicts: [ClaimVerdict]

    init(_ measured: MeasuredTable, provenance: [String: String], level: Double) {
        self.measured = measured
        self.provenance = provenance
        self.level = level
        self.verdicts = measured.claimVerdicts(level: level)
    }

    var table: TableSpec { measured.table }

    /// "LD — Localization Distillation for Object Detection".
    var title: String { "\(table.paper.key.displayName) — \(table.paper.title)" }

    /// "arXiv 2204.05957 · Table 1a · tables/ld/table1a.yaml".
    var identity: String { "arXiv \(table.paper.arxiv) · Table \(table.id.table) · \(table.file)" }

    var scaleLine: String {
        let seeds = measured.seeds
        let seedText = seeds.isEmpty ? "none yet" : seeds.map(String.init).joined(separator: ", ") + " (\(seeds.count))"
        var line = "Scale: \(measured.scale) · seeds: \(seedText) · \(ConfidenceInterval.levelText(level)) Student-t confidence intervals, paired by seed"
        if measured.isSmoke { line += " · smoke: no verdicts" }
        return line
    }

    /// "key: value" pairs, sorted by key so that reports diff well.
    var provenanceItems: [String] {
        provenance.keys.sorted().map { "\($0): \(provenance[$0]!)" }
    }

    var evidence: [(verdict: ClaimVerdict, items: [EvidenceItem])] {
        verdicts.map { claim in
            (claim, claim.predicates.map { predicate in
                if predicate.comparisons.count == 1 {
                    let only = predicate.comparisons[0]
                    return EvidenceItem(verdict: predicate.verdict, subject: only.comparison.description, detail: detail(only))
                }
                return EvidenceItem(verdict: predicate.verdict, subject: predicate.predicate.predicate.yamlText,
                                    detail: predicate.reason,
                                    children: predicate.comparisons.map {
                                        EvidenceItem(verdict: $0.verdict, subject: $0.comparison.description, detail: detail($0))
                                    })
            })
        }
    }

    /// The numbers when an interval decided; otherwise the numbers (if any) and why no interval
    /// decided; then any caveat about the two runs (`unequalTraining`).
    func detail(_ evidence: ComparisonEvidence) -> String {
        var text = evidence.reason
        if evidence.decidedByInterval, let numbers = evidence.numbers { text = numbers }
        else if let numbers = evidence.numbers { text = "\(numbers): \(evidence.reason)" }
        if let caveat = unequalTraining(evidence.comparison) { text += " ⚠ \(caveat)" }
        return text
    }

    /// When the two cells' runs train the same number of the paper's epochs for different numbers
    /// of iterations (a scale profile's per-detector multiplier, such as RetinaNet's × 3 at small),
    /// the comparison is not at equal training, whatever its verdict: says so.
    func unequalTraining(_ comparison: CellComparison) -> String? {
        guard let a = measured.cells[comparison.first]?.schedule, let b = measured.cells[comparison.second]?.schedule,
              a.epochs == b.epochs, a.iterations != b.iterations else { return nil }
        return "unequal training at this scale: \(comparison.first.row) ran \(a.iterations) iterations and "
            + "\(comparison.second.row) \(b.iterations) for the same \(a.epochs) epochs"
    }

    /// The table file's own audit notes, the printed deltas that disagree with the printed
    /// cells, and the claims that fail on the paper's own numbers.
    var auditItems: [String] {
        table.audit
            + table.printedDeltaAudit().map { "Printed delta: \($0.description)" }
            + table.claimsFailingOnPublishedValues().map { "Claim check: \($0.description)" }
    }

    /// Why cells show no number, per row in printed order: the distinct reasons of the row's
    /// not-implemented and failed cells ("unresolved row: …", "detector paa: not implemented yet").
    /// A cell's text says only "not implemented" or "failed"; this says why.
    var cellsWithoutNumbers: [(label: String, reasons: [String])] {
        table.rows.compactMap { row in
            var reasons: [String] = []
            for column in table.columns {
                // The same state the cell's text is drawn from.
                switch measured.measurement(CellReference(row: row.key, column: column.key), level: level).state {
                case .notImplemented(let why), .failed(let why):
                    if !reasons.contains(why) { reasons.append(why) }
                default: break
                }
            }
            return reasons.isEmpty ? nil : (row.label, reasons)
        }
    }

    var verdictTally: String {
        verdicts.isEmpty ? "no claims" : Verdict.tally(verdicts.map(\.verdict))
    }
}
