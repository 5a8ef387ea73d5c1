import Testing
@testable import Detection

/// Whole-image cross-checks against mmdetection's assigners: the expected arrays were produced by
/// running transcriptions of mmdet 2.x's `ATSSAssigner.assign`, `MaxIoUAssigner.assign` and
/// `FCOSHead._get_target_single` (with mmdet's `AnchorGenerator` / `MlvlPointGenerator`) in
/// PyTorch 2.15 on the same inputs, outside the repository. Gt corners are off the grid, so no
/// distance or IoU ties make the reference's order unspecified.
@Suite("mmdet cross-checks") struct ReferenceCrossCheckTests {
    // A 128 × 128 image, strides 8–128 → feature maps 16², 8², 4², 2², 1².
    let sizes = [16, 8, 4, 2, 1].map { FeatureSize(height: $0, width: $0) }
    let gts = [box(10.25, 12.5, 40.75, 52), box(30.5, 20.25, 110, 90.75), box(60, 64.5, 72.25, 80),
               box(5.5, 70.25, 50, 126.5), box(90.75, 8, 121.5, 30.25), box(64.5, 60.25, 100, 100.5)]

    func expected(_ positives: [Int: Int], count: Int, ignored: [Int] = []) -> [Int] {
        var out = [Int](repeating: Assignment.negative, count: count)
        for i in ignored { out[i] = Assignment.ignored }
        for (i, g) in positives { out[i] = g }
        return out
    }

    /// GFL/ATSS anchors (8s squares), top-k 9: 43 positives and the six mean + std thresholds.
    @Test func atssOnGFLAnchors() {
        let anchors = AnchorGenerator.atss().gridPriors(featureSizes: sizes)
        #expect(anchors.count == 341)
        let r = ATSSAssigner().assignDetailed(anchors: anchors.boxes, levelCounts: anchors.levelCounts, gts: gts)
        let positives: [Int: Int] = [
            44: 4, 45: 4, 46: 4, 50: 0, 51: 0, 52: 0, 60: 4, 61: 4, 62: 4, 66: 0, 67: 0, 68: 0, 82: 0, 83: 0,
            84: 0, 104: 1, 105: 1, 106: 1, 120: 1, 121: 1, 122: 1, 136: 1, 137: 1, 138: 1, 152: 2, 153: 5,
            154: 5, 155: 5, 169: 5, 170: 5, 171: 5, 179: 3, 180: 3, 185: 5, 186: 5, 187: 5, 194: 3, 195: 3,
            196: 3, 197: 3, 210: 3, 211: 3, 212: 3,
        ]
        #expect(r.assignment.gtIndices == expected(positives, count: 341))
        #expect(close(r.iouThresholds, [0.229522, 0.563317, 0.036174, 0.442295, 0.130347, 0.272221], 2e-6))
        #expect(r.candidates.allSatisfy { $0.count == 9 + 9 + 9 + 4 + 1 })
    }

    /// RetinaNet anchors (9 per location, 3069 in all), MaxIoU 0.5 / 0.4 with low-quality matches.
    @Test func maxIoUOnRetinaNetAnchors() {
        let anchors = AnchorGenerator.retinaNet().gridPriors(featureSizes: sizes)
        #expect(anchors.count == 3069)
        let a = MaxIoUAssigner.retinaNet.assign(priors: anchors.boxes, gts: gts)
        let positives: [Int: Int] = [
            405: 4, 408: 4, 414: 4, 462: 0, 463: 0, 465: 0, 466: 0, 552: 4, 598: 0, 606: 0, 607: 0, 609: 0,
            610: 0, 615: 0, 616: 0, 618: 0, 750: 0, 751: 0, 753: 0, 754: 0, 1227: 2, 1230: 2, 1236: 2, 1359:
            2, 1368: 2, 1371: 2, 1374: 2, 1377: 2, 1380: 2, 1386: 2, 1389: 5, 1390: 5, 1393: 5, 1394: 5, 1399:
            5, 1402: 5, 1515: 2, 1518: 2, 1524: 2, 1525: 5, 1533: 5, 1534: 5, 1535: 5, 1536: 5, 1537: 5, 1538:
            5, 1542: 5, 1543: 5, 1544: 5, 1545: 5, 1546: 5, 1615: 3, 1616: 3, 1619: 3, 1624: 3, 1625: 3, 1628:
            3, 1677: 5, 1678: 5, 1679: 5, 1681: 5, 1682: 5, 1687: 5, 1688: 5, 1690: 5, 1751: 3, 1759: 3, 1760:
            3, 1762: 3, 1763: 3, 1768: 3, 1769: 3, 1771: 3, 1772: 3, 1778: 3, 1826: 5, 1895: 3, 1903: 3, 1904:
            3, 1906: 3, 1907: 3, 1912: 3, 1913: 3, 1915: 3, 1916: 3, 1922: 3, 2048: 3, 2051: 3, 2057: 3, 2060:
            3, 2548: 1, 2556: 1, 2557: 1, 2559: 1, 2560: 1, 2561: 1, 2565: 1, 2566: 1, 2568: 1, 2569: 1, 2570:
            1, 2620: 1, 2628: 1, 2629: 1, 2631: 1, 2632: 1, 2633: 1, 2637: 1, 2638: 1, 2640: 1, 2641: 1, 2642:
            1, 2688: 3, 2748: 3, 2757: 3, 2760: 3, 2832: 3,
        ]
        let ignored = [
            267, 322, 323, 396, 397, 406, 409, 411, 415, 417, 424, 450, 454, 455, 459, 464, 467, 468, 471,
            472, 473, 474, 475, 540, 549, 553, 555, 558, 561, 587, 594, 595, 596, 597, 599, 600, 603, 604,
            605, 608, 611, 612, 613, 614, 617, 619, 622, 623, 625, 738, 742, 743, 747, 752, 755, 756, 759,
            760, 761, 762, 763, 794, 803, 812, 898, 899, 932, 938, 941, 947, 950, 956, 959, 968, 1070, 1076,
            1079, 1082, 1085, 1088, 1091, 1094, 1097, 1100, 1103, 1106, 1112, 1115, 1220, 1226, 1229, 1235,
            1238, 1244, 1247, 1249, 1250, 1256, 1259, 1370, 1378, 1379, 1381, 1382, 1384, 1387, 1388, 1391,
            1392, 1395, 1396, 1398, 1400, 1401, 1403, 1472, 1475, 1481, 1484, 1514, 1522, 1523, 1526, 1527,
            1528, 1530, 1531, 1532, 1539, 1540, 1541, 1547, 1549, 1550, 1552, 1553, 1559, 1604, 1607, 1610,
            1612, 1613, 1614, 1618, 1621, 1622, 1623, 1627, 1631, 1634, 1637, 1666, 1669, 1670, 1672, 1674,
            1675, 1680, 1683, 1684, 1686, 1689, 1691, 1748, 1750, 1753, 1754, 1756, 1757, 1758, 1761, 1765,
            1766, 1767, 1770, 1775, 1777, 1780, 1781, 1822, 1825, 1835, 1892, 1894, 1897, 1898, 1900, 1901,
            1902, 1905, 1909, 1910, 1911, 1914, 1919, 1921, 1924, 1925, 2044, 2047, 2050, 2053, 2056, 2059,
            2195, 2204, 2420, 2487, 2488, 2489, 2491, 2492, 2497, 2498, 2500, 2501, 2540, 2547, 2549, 2550,
            2551, 2552, 2553, 2558, 2562, 2563, 2564, 2567, 2571, 2572, 2573, 2575, 2576, 2578, 2579, 2612,
            2619, 2621, 2622, 2623, 2624, 2625, 2630, 2634, 2635, 2636, 2639, 2643, 2644, 2645, 2647, 2648,
            2650, 2651, 2704, 2705, 2707, 2708, 2713, 2714, 2716, 2717, 2745, 2754, 2763, 2766, 2780, 2820,
            2829,
        ]
        #expect(a.gtIndices == expected(positives, count: 3069, ignored: ignored))
    }

    /// FCOS points with the default regress ranges scaled by 128/800 and centre sampling 1.5.
    @Test func fcosWithScaledRanges() {
        let points = PointGenerator.fcos().gridPriors(featureSizes: sizes)
        let a = FCOSAssigner(regressRanges: FCOSAssigner.regressRanges(scaledBy: 0.16)).assign(points: points, gts: gts)
        #expect(a.gtIndices == expected([270: 4, 292: 2, 320: 0, 323: 4, 324: 0, 330: 5, 336: 1, 337: 1], count: 341))
    }
}
