import COpenBLAS
import Dispatch

/// The one entry point to sgemm, row-major: C = alpha·op(A)·op(B) + beta·C, where A is M×K (K×M
/// when transposed), B is K×N (N×K when transposed) and C is M×N.
///
/// OpenBLAS runs single-threaded and this wrapper splits large products across the project's own
/// workers (by columns of C, or by rows when C is narrow). OpenBLAS's own threads busy-wait with
/// sched_yield between calls and then compete with our kernels' threads for the two cores
/// (measured: 15 % of a training step spent yielding); splitting ourselves avoids that.
func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
          alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
          b: UnsafePointer<Float>, ldb: Int,
          beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    BLASInfo.ensureConfigured()
    @inline(__always) func call(_ m: Int, _ n: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
        serialGemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                   beta: beta, c: c, ldc: ldc)
    }
    let workers = Parallelism.workers
    if workers <= 1 || m * n * k < 1 << 17 {
        call(m, n, a, b, c)
    } else if n >= 32 * workers {
        // Column blocks of C: B's columns (rows of Bᵀ) and C's columns move together.
        let per = ((n + workers - 1) / workers + 15) / 16 * 16
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = w * per, hi = Swift.min(n, lo + per)
            if lo < hi { call(m, hi - lo, a, b + (transB ? lo * ldb : lo), c + lo) }
        }
    } else if m >= 2 * workers {
        let per = (m + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = w * per, hi = Swift.min(m, lo + per)
            if lo < hi { call(hi - lo, n, a + (transA ? lo : lo * lda), b, c + lo * ldc) }
        }
    } else {
        call(m, n, a, b, c)
    }
}

/// One sgemm call on the calling thread (operands as in `gemm`), for callers that split the work
/// across the workers themselves. Call `BLASInfo.ensureConfigured()` before starting them.
@inline(__always)
func serialGemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                b: UnsafePointer<Float>, ldb: Int,
                beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// What the BLAS is running with; every run records it (results differ bit-for-bit between
/// core types).
public enum BLASInfo {
    /// OpenBLAS's kernel family (Haswell, SkylakeX, Cooperlake…), fixed when the library loads.
    public static var coreName: String { String(cString: openblas_get_corename()) }
    /// Threads OpenBLAS itself uses per call (1: the project splits work across its own workers).
    public static var threads: Int { ensureConfigured(); return Int(openblas_get_num_threads()) }
    public static var config: String { String(cString: openblas_get_config()) }

    nonisolated(unsafe) private static var configured = false

    static func ensureConfigured() {
        if configured { return }
        configured = true
        openblas_set_num_threads(1)
    }
}
