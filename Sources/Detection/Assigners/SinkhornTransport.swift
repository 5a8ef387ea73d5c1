import Foundation

/// Entropy-regularised optimal transport by Sinkhorn iterations in the log domain, as the
/// official OTA code's `SinkhornDistance` (Megvii-BaseDetection/OTA `fcos.py`): potentials u
/// (rows, the suppliers) and v (columns, the demanders) start at 1, and each of `iterations`
/// rounds updates v, then u,
///
///     v_j ← ε·(log(ν_j + 1e-8) − logsumexp_i M_ij) + v_j
///     u_i ← ε·(log(μ_i + 1e-8) − logsumexp_j M_ij) + u_i,    M_ij = (−C_ij + u_i + v_j) / ε;
///
/// the plan is π_ij = exp(M_ij) with the final potentials.
///
/// The cost is sparse: an entry left out costs +∞ (its π is 0). OTA gives the points outside a
/// gt's candidate region a penalty of 1e6, so their M is about −1e7 and exp(M) is exactly 0 in
/// float32: leaving them out changes no bit of the plan while the potentials stay far below 1e6,
/// and saves most of the work (a gt has tens of candidates among thousands of points).
public struct SinkhornTransport: Sendable {
    /// ε (the official `SINKHORN_EPS`).
    public var epsilon: Float
    /// Rounds (the official `SINKHORN_ITER`).
    public var iterations: Int

    public init(epsilon: Float = 0.1, iterations: Int = 50) {
        precondition(epsilon > 0 && iterations >= 1, "SinkhornTransport: ε \(epsilon), \(iterations) iterations")
        self.epsilon = epsilon; self.iterations = iterations
    }

    /// A sparse cost matrix: entry e is (rows[e], columns[e]) with cost costs[e].
    public struct SparseCost: Sendable {
        public var rowCount: Int, columnCount: Int
        public var rows: [Int] = [], columns: [Int] = [], costs: [Float] = []

        public init(rowCount: Int, columnCount: Int) { self.rowCount = rowCount; self.columnCount = columnCount }

        public mutating func append(row: Int, column: Int, cost: Float) {
            precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount,
                         "SparseCost: entry (\(row), \(column)) outside \(rowCount) × \(columnCount)")
            rows.append(row); columns.append(column); costs.append(cost)
        }

        public var count: Int { costs.count }
    }

    /// The transport plan π, one value per entry of `cost` (in its order). `supply` has one
    /// value per row (μ), `demand` one per column (ν).
    public func plan(_ cost: SparseCost, supply: [Float], demand: [Float]) -> [Float] {
        precondition(supply.count == cost.rowCount && demand.count == cost.columnCount,
                     "SinkhornTransport: \(supply.count) supplies, \(demand.count) demands for \(cost.rowCount) × \(cost.columnCount)")
        let logSupply = supply.map { Foundation.log($0 + 1e-8) }
        let logDemand = demand.map { Foundation.log($0 + 1e-8) }
        var u = [Float](repeating: 1, count: cost.rowCount)
        var v = [Float](repeating: 1, count: cost.columnCount)
        var m = [Float](repeating: 0, count: cost.count)
        var lse = [Float](), maxima = [Float]()
        let eps = epsilon

        // logsumexp over the entries of each row (byColumn false) or column, with M recomputed
        // from the current potentials; an axis without entries gets −∞.
        func logSumExp(byColumn: Bool) {
            let groups = byColumn ? cost.columnCount : cost.rowCount
            let keys = byColumn ? cost.columns : cost.rows
            maxima = [Float](repeating: -.infinity, count: groups)
            for e in 0..<cost.count {
                m[e] = (u[cost.rows[e]] + v[cost.columns[e]] - cost.costs[e]) / eps
                maxima[keys[e]] = Swift.max(maxima[keys[e]], m[e])
            }
            lse = [Float](repeating: 0, count: groups)
            for e in 0..<cost.count { lse[keys[e]] += Foundation.exp(m[e] - maxima[keys[e]]) }
            for g in 0..<groups { lse[g] = maxima[g] + Foundation.log(lse[g]) }
        }

        for _ in 0..<iterations {
            logSumExp(byColumn: true)
            for j in 0..<cost.columnCount where lse[j].isFinite { v[j] += eps * (logDemand[j] - lse[j]) }
            logSumExp(byColumn: false)
            for i in 0..<cost.rowCount where lse[i].isFinite { u[i] += eps * (logSupply[i] - lse[i]) }
        }
        return (0..<cost.count).map { e in Foundation.exp((u[cost.rows[e]] + v[cost.columns[e]] - cost.costs[e]) / eps) }
    }
}
