import Foundation

/// Fixed-decimal text for reports and chart labels. Uses `String(format:)` with the POSIX "%.*f",
/// which does not depend on the user's locale on Linux (no decimal comma in a report).
public enum NumberText {
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        let text = String(format: "%.\(max(0, decimals))f", value)
        // "-0.00" is noise from a tiny negative value: print it as zero.
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
        return text
    }

    /// "+1.23" / "-0.40" / "+0.00": the way gains are printed.
    public static func signed(_ value: Double, decimals: Int) -> String {
        let text = fixed(value, decimals: decimals)
        return text.hasPrefix("-") ? text : "+" + text
    }
}
