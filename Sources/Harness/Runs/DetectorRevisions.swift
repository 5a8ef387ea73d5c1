/// Each detector's implementation revision, 1 when not listed: bump a detector's on any change
/// that alters what its runs compute. A run records its detector's revision
/// (`RunSpec.detectorRevision`, nil at 1 and then absent from the JSON), so a change to one
/// detector redoes only its runs and those of their students; every other run keeps its id.
///
/// sapd 2: FSAF's gradient clip 10 at every scale. Under the reduced profiles' loose clip 35 its
/// R-101 2x ms run at small spiked (classification loss 7.8 over the first 240 iterations) and
/// ended at AP 0.02, and its R-50 1x run reached 4.21; with 10 the R-50 run reached 11.59.
public enum DetectorRevisions {
    public static let revisions: [String: Int] = ["sapd": 2]

    /// The revision a run of `detector` records: nil at revision 1.
    public static func revision(of detector: String) -> Int? {
        let revision = revisions[detector] ?? 1
        return revision > 1 ? revision : nil
    }
}
