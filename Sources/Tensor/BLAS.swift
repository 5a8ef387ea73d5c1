import COpenBLAS

/// The one entry point to OpenBLAS's sgemm, row-major: C = alpha·op(A)·op(B) + beta·C.
/// A is M×K (or K×M when transposed), B is K×N (or N×K), C is M×N.
@inline(__always)
func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
          alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
          b: UnsafePointer<Float>, ldb: Int,
          beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// What the BLAS is running with; every run records it (results differ bit-for-bit between
/// core types and, with Haswell kernels, between thread counts).
public enum BLASInfo {
    public static var coreName: String { String(cString: openblas_get_corename()) }
    public static var threads: Int { Int(openblas_get_num_threads()) }
    public static var config: String { String(cString: openblas_get_config()) }
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
