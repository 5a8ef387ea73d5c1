import Foundation

/// The "Object sizes" section of a report: how many validation objects each of APs, APm and APl
/// averages over, with a warning for a range that holds almost none.
enum ObjectSizeText {
    static let heading = "Object sizes"
    /// A range holding less than this share of the objects gets a warning.
    static let thinShare = 0.01
    static let intro = "APs, APm and APl average over the validation objects in COCO's small, medium and large area ranges "
        + "(scaled to the image for synthetic scenes):"

    /// One line per validation set, in plain text.
    static func lines(_ sizes: [ValidationObjectSizes]) -> [String] {
        sizes.map { s in
            if let problem = s.problem { return "\(s.dataset): not counted (\(problem))." }
            let total = s.all
            func share(_ n: Int) -> String { total > 0 ? String(format: "%.1f %%", 100 * Double(n) / Double(total)) : "–" }
            var line = "\(s.dataset): \(total) objects; small (area ≤ \(area(s.smallUpper)) px²) \(s.small) (\(share(s.small))), "
                + "medium (≤ \(area(s.mediumUpper)) px²) \(s.medium) (\(share(s.medium))), large \(s.large) (\(share(s.large)))"
            let thin = [("small", "APs", s.small), ("medium", "APm", s.medium), ("large", "APl", s.large)]
                .filter { total > 0 && Double($0.2) < thinShare * Double(total) }
            for (range, metric, n) in thin {
                line += n == 0 ? ". ⚠ The \(range) range holds no object: \(metric) is undefined"
                    : ". ⚠ The \(range) range holds under \(Int(thinShare * 100)) % of the objects: "
                        + "\(metric) rests on \(n) object\(n == 1 ? "" : "s") and says next to nothing here"
            }
            return line + "."
        }
    }

    /// 18.2, 163.8, 1024.
    static func area(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
