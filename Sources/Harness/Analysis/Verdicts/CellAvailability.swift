/// Why a cell cannot take part in a comparison; its verdict is the one a comparison over it gets.
public struct CellBlocker: Error, Equatable, Sendable {
    public var verdict: Verdict
    public var reason: String
}

extension MeasuredTable {
    /// The seed → value samples of `cell`, or why there are none to compare. A partial cell
    /// (some seeds still running) is usable: pairing by seed keeps the comparison honest, and
    /// its n says how much evidence there is.
    public func usableSamples(_ cell: CellReference) -> Result<[Int: Double], CellBlocker> {
        guard let measured = cells[cell] else {
            return .failure(CellBlocker(verdict: .notRun, reason: "\(cell) has no result yet"))
        }
        switch measured.status {
        case let .notImplemented(reason):
            return .failure(CellBlocker(verdict: .notImplemented, reason: "\(cell) is not implemented: \(reason)"))
        case .notMeasured:
            // The validator lets a claim name a reported-only column (its cells print numbers);
            // the suite has nothing to measure there, which is a gap of the suite, not a result.
            return .failure(CellBlocker(verdict: .notImplemented, reason: "\(cell) is reported only: nothing is measured"))
        case let .failed(reason):
            return .failure(CellBlocker(verdict: .failed, reason: "\(cell) failed: \(reason)"))
        case .notRun:
            return .failure(CellBlocker(verdict: .notRun, reason: "\(cell) has not run"))
        case .measured, .partial:
            guard !measured.samples.isEmpty else {
                return .failure(CellBlocker(verdict: .notRun, reason: "\(cell) has no finished seed yet"))
            }
            return .success(measured.samples)
        }
    }

    /// The most decisive blocker among `cells` (not implemented before failed before not run), or
    /// nil when every cell has samples.
    func blocker(among cells: [CellReference]) -> CellBlocker? {
        let blockers = cells.compactMap { cell -> CellBlocker? in
            if case let .failure(blocker) = usableSamples(cell) { return blocker }
            return nil
        }
        for verdict in [Verdict.notImplemented, .failed, .notRun] {
            if let first = blockers.first(where: { $0.verdict == verdict }) { return first }
        }
        return nil
    }
}
