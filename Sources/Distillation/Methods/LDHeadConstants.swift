import Detection

/// The constants the official LD heads (HikariTJU/LD, `mmdet/models/dense_heads/`) use for each
/// student detector (methods.md D2–D4): the defaults of `DistillationMethods` when a table entry
/// gives no `weight:`/`weighting:`. Every LD term is `weight · Σ w·KL_mean·τ² / normalizer`
/// (the sum over one GPU's 2 images: see `LocalizationDistillation.imagesPerDevice`), but the rows the softmax and the KL mean run over differ:
/// - GFL, ATSS, FCOS: per side. The heads reshape the box logits to (−1, n + 1): one softmax per
///   side over its n + 1 bins, KL mean over those bins, Σ over the 4 sides and the priors, each
///   side with its prior's weight.
/// - RetinaNet: per prior. `LDRetinaHead.loss_single` passes rows of 4·(n + 1) logits: one
///   softmax over all four sides' logits together, KL mean over the 4·(n + 1) entries, Σ over
///   priors with one weight each (its weight 5 was set for this form).
///
/// - GFL (`ld_head.py`): LD 0.25 /4 on the positives; VLR 0.25 /16 with IoU weights, VLR may
///   overlap the positives.
/// - RetinaNet (`ld_retina.py`, config `ld_retina_r50_1x.py`): LD 5 /4; VLR `0.03 · loss_ld`
///   (so 5 · 0.03 /4) with IoU weights, positives removed from it; both on per-prior rows; KD T = 8.
/// - ATSS (`ld_atss.py`): LD 0.25 /4; VLR `0.15 · loss_ld` with IoU weights, positives kept.
/// - FCOS (`ld_fcos_head.py`): LD 0.25 /4; "VLR" `0.25 · loss_ld` weighted by the student's max
///   class score, never on a positive. The released FCOS head does not use the DIoU band: its
///   band function (`assign_neg`) is commented out and its region is every non-positive point
///   inside a gt box. Here the paper's band is kept (the tables give it a γ), on pseudo anchors
///   (`Priors.regionAnchors`), with the code's weight, factor and positive exclusion.
/// - Rotated RetinaNet and GWD (Zzh-tju/Rotated-LD `ld_rotate_retina_head.py`, config
///   `rotated_retinanet_distribution_hbb_gwd_r18_r34_fpn_1x_dota_oc.py`): LD weight 10 on the
///   five per-delta softmaxes of each anchor, each level's weighted sum divided by its number of
///   region anchors, summed over levels. One rule for rotated students: the table fixes what the
///   paper prints (region, τ), Rotated-LD's released config everything else (LD weight 10; KD
///   T = 5, weight 20). Its region is its own IoU band (horizontal IoUs ≥ 0.25 × an ATSS-style
///   threshold, IoU weights) and its LD T = 5; Table 5 encodes the paper's main region (the
///   positives, weight 1) and τ = 10.
/// The main-region weight is the student's max class score for the other heads. A table's `weight:`
/// replaces the loss_ld weight; the head's VLR factor stays in the normaliser (4 / factor).
struct LDHeadConstants: Equatable {
    /// `loss_ld.loss_weight` of the student's config.
    var ldWeight: Float
    /// The head's extra factor on its VLR LD (GFL's /16 is 0.25 on top of the /4).
    var vlrFactor: Float
    var vlrWeighting: ValuableLocalizationRegion.Weighting
    var vlrExcludesPositives: Bool
    /// What one KL softmax covers, for LD on the main region and on the VLR alike.
    var rows: LocalizationDistillation.Rows = .perSide
    /// The main region's default weighting (the student's max class score for the GFL family).
    var mainWeighting = LocalizationDistillation.MainWeighting.studentScore
    /// Rotated-LD averages over each level's region anchors instead of a constant per GPU.
    var perLevelMean = false
    /// Whether the head defines a VLR (the rotated heads have no ATSS threshold to band on).
    var hasVLR = true

    static func forStudent(_ kind: DenseDetectorKind) -> LDHeadConstants {
        switch kind {
        case .gfl, .gflv2: return .init(ldWeight: 0.25, vlrFactor: 0.25, vlrWeighting: .iou, vlrExcludesPositives: false)
        case .retinanet: return .init(ldWeight: 5, vlrFactor: 0.03, vlrWeighting: .iou, vlrExcludesPositives: true, rows: .perPrior)
        case .atss: return .init(ldWeight: 0.25, vlrFactor: 0.15, vlrWeighting: .iou, vlrExcludesPositives: false)
        case .fcos: return .init(ldWeight: 0.25, vlrFactor: 0.25, vlrWeighting: .studentScore, vlrExcludesPositives: true)
        case .ota, .paa, .autoassign, .borderdet, .sapd: preconditionFailure("LDHeadConstants: \(kind) has no LD head (DistillationMethods rejects it)")
        case .rotatedRetinanet, .gwd:
            return .init(ldWeight: 10, vlrFactor: 1, vlrWeighting: .iou, vlrExcludesPositives: false,
                         mainWeighting: .uniform, perLevelMean: true, hasVLR: false)
        }
    }

    /// Every head's `avg_factor=4` (a sum over the 4 sides of each prior divided by 4 on per-side
    /// rows; on RetinaNet's per-prior rows the same constant divides the per-prior sum), and for
    /// the VLR also the factor's inverse.
    var mainNormalizer: Float { 4 }
    var vlrNormalizer: Float { 4 / vlrFactor }
}
