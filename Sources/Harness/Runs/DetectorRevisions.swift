/// Each detector's implementation revision, 1 when not listed: bump a detector's on any change
/// that alters what its runs compute. A run records its detector's revision
/// (`RunSpec.detectorRevision`, nil at 1 and then absent from the JSON), so a change to one
/// detector redoes only its runs and those of their students; every other run keeps its id.
///
/// sapd 2: FSAF's gradient clip 10 at every scale. Under the reduced profiles' loose clip 35 its
/// R-101 2x ms run at small spiked (classification loss 7.8 over the first 240 iterations) and
/// ended at AP 0.02, and its R-50 1x run reached 4.21; with 10 the R-50 run reached 11.59.
///
/// retinanet 2 (its own head; LD's GFL-ified one, "retinanet+distribution", is unrevised): the
/// reduced-scale recipe's rate ×1 instead of ×2 (`ScaleCalibration.reducedScaleRateFactor`). At
/// 0.02 its 3×-iteration R-50 1x runs at small reached AP 16.36, 0.82 and 1.39 at seeds 1–3, the
/// classification loss rising between iterations 120 and 240 in the two that failed; at 0.01
/// they reached 12.16, 12.82 and 12.61.
public enum DetectorRevisions {
    /// Keyed by the detector, or by "detector+box_head" for a table's replacement box head.
    public static let revisions: [String: Int] = ["sapd": 2, "retinanet": 2]

    /// The revision a run of `detector` with the table's `boxHead` records: nil at revision 1.
    public static func revision(of detector: String, boxHead: String?) -> Int? {
        let revision = revisions[boxHead.map { "\(detector)+\($0)" } ?? detector] ?? 1
        return revision > 1 ? revision : nil
    }
}
