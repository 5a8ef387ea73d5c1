import Foundation

/// A published cell, keeping the printed text next to the number: `40.10` and `40.1` are the same
/// number but not the same precision, and the delta audit rounds to what was printed.
public enum CellValue: Hashable, Sendable, CustomStringConvertible {
    case number(Double, printed: String)
    /// A cell printed as text: "-", "✓", "N/A", "168.45 GB". Never compared.
    case text(String)

    public var number: Double? {
        if case let .number(value, _) = self { return value }
        return nil
    }

    /// Exactly as written in the table file.
    public var printed: String {
        switch self {
        case let .number(_, printed): return printed
        case let .text(text): return text
        }
    }

    public var description: String { printed }
}

/// A printed decimal held exactly as `digits × 10^-scale`, so that differences of printed values
/// are computed without binary rounding (37.5 − 35.8 is exactly 1.7 here).
struct PrintedDecimal: Hashable, Sendable {
    var digits: Int
    var scale: Int

    /// Reads "35.8", "+1.7", "-0.25", "40.10", "3"; nil for anything else (exponents included).
    init?(_ text: String) {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" || sign == "−" {
            negative = sign != "+"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first,
              !whole.isEmpty || parts.count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts.count == 1 || !parts[1].isEmpty
        else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard let magnitude = Int(whole + fraction) else { return nil }
        digits = negative ? -magnitude : magnitude
        scale = fraction.count
    }

    init(digits: Int, scale: Int) {
        self.digits = digits
        self.scale = scale
    }

    var value: Double { Double(digits) / pow10(scale) }

    /// The same number written with `newScale` decimals; rounding (half away from zero) when the
    /// new scale is coarser.
    func rescaled(to newScale: Int) -> PrintedDecimal {
        if newScale >= scale {
            return PrintedDecimal(digits: digits * Int(pow10(newScale - scale)), scale: newScale)
        }
        let divisor = Int(pow10(scale - newScale))
        let half = divisor / 2
        let rounded = digits >= 0 ? (digits + half) / divisor : -((-digits + half) / divisor)
        return PrintedDecimal(digits: rounded, scale: newScale)
    }

    static func - (lhs: PrintedDecimal, rhs: PrintedDecimal) -> PrintedDecimal {
        let scale = max(lhs.scale, rhs.scale)
        return PrintedDecimal(digits: lhs.rescaled(to: scale).digits - rhs.rescaled(to: scale).digits, scale: scale)
    }

    /// "+1.7", "-0.2", "+0.0": the way papers print gains.
    var signedText: String {
        let magnitude = abs(digits)
        var text = String(magnitude)
        if scale > 0 {
            text = String(repeating: "0", count: max(0, scale + 1 - text.count)) + text
            text.insert(".", at: text.index(text.endIndex, offsetBy: -scale))
        }
        return (digits < 0 ? "-" : "+") + text
    }
}

private func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<exponent { result *= 10 }
    return result
}

/// A difference printed next to a cell: "+1.7", "-0.2", "−0.1", or an arrow ("↑ 1.5") where the
/// paper marks an improvement of a lower-is-better metric.
public struct PrintedDelta: Hashable, Sendable, CustomStringConvertible {
    public enum Direction: Hashable, Sendable {
        /// The delta carries its sign: value − baseline.
        case signed
        /// "↑": an improvement of `magnitude` in the column's own sense.
        case improvement
        /// "↓": a deterioration of `magnitude` in the column's own sense.
        case deterioration
    }

    public var printed: String
    public var direction: Direction
    /// Signed for `.signed`, non-negative for arrows.
    var amount: PrintedDecimal

    /// Parses the printed text; nil if it is not a delta.
    public init?(_ printed: String) {
        var text = printed.trimmingCharacters(in: .whitespaces)
        var direction = Direction.signed
        if let arrow = text.first, arrow == "↑" || arrow == "↓" {
            direction = arrow == "↑" ? .improvement : .deterioration
            text = String(text.dropFirst()).trimmingCharacters(in: .whitespaces)
        } else if let sign = text.first, "+-−".contains(sign) {
            // "+ 1.7" and "- 0.4" occur in extracted text: the space carries no meaning.
            text = String(sign) + text.dropFirst().trimmingCharacters(in: .whitespaces)
        }
        guard let amount = PrintedDecimal(text) else { return nil }
        if direction != .signed, amount.digits < 0 { return nil }
        self.printed = printed
        self.direction = direction
        self.amount = amount
    }

    /// The delta as value − baseline, given the column's direction.
    func signedAmount(higherIsBetter: Bool) -> PrintedDecimal {
        switch direction {
        case .signed: return amount
        case .improvement: return higherIsBetter ? amount : PrintedDecimal(digits: -amount.digits, scale: amount.scale)
        case .deterioration: return higherIsBetter ? PrintedDecimal(digits: -amount.digits, scale: amount.scale) : amount
        }
    }

    public var value: Double { amount.value }
    public var description: String { printed }
}
