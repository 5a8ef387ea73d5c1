/// Pieces of gnuplot syntax shared by every chart: string quoting, data-file values, and the
/// wrapper that draws the same plot to PNG (pngcairo) and SVG.
enum GnuplotText {
    /// A double-quoted gnuplot string. Backslashes and quotes are escaped and a newline becomes
    /// gnuplot's "\n" (a line break in titles and labels); every chart uses
    /// `noenhanced`, so "@", "_" and "^" in labels stay literal (with `enhanced`, "mAP@0.5"
    /// renders as garbage: swift-notes §1d).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }

    /// A string field of a data file: double quotes delimit it, so they cannot appear inside.
    static func dataString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\n", with: " ") + "\""
    }

    /// A number field of a data file; NaN (an undefined point that gnuplot skips) when absent.
    static func dataNumber(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "NaN" }
        return NumberText.fixed(value, decimals: 6)
    }

    static let font = "DejaVu Sans"
    static let publishedColour = "#4C72B0"
    static let measuredColour = "#DD8452"
    static let gridColour = "#cccccc"

    /// The script: a header comment, then `body` drawn once per format. The loop keeps one copy of
    /// the plot commands, so the PNG and the SVG cannot drift apart.
    static func script(name: String, comment: [String], width: Int, height: Int, fontSize: Int = 12, body: [String]) -> String {
        var lines = comment.map { "# " + $0 }
        lines.append("# Draws \(name).png (pngcairo) and \(name).svg; run from this directory: gnuplot \(name).gp")
        lines.append("")
        lines.append("do for [format in \"png svg\"] {")
        lines.append("  if (format eq \"png\") {")
        lines.append("    set terminal pngcairo size \(width),\(height) noenhanced font \"\(font),\(fontSize)\" linewidth 1.5 background rgb \"white\"")
        lines.append("  } else {")
        lines.append("    set terminal svg size \(width),\(height) noenhanced font \"\(font),\(fontSize)\" linewidth 1.5 background rgb \"white\"")
        lines.append("  }")
        lines.append("  set output \(quoted(name)).\".\".format")
        lines.append("  reset")
        lines += body.map { "  " + $0 }
        lines.append("  unset output")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `set xtics ("a" 0, "b" 1, …)`.
    static func tics(_ labels: [(label: String, position: Double)]) -> String {
        "(" + labels.map { "\(quoted($0.label)) \(dataNumber($0.position))" }.joined(separator: ", ") + ")"
    }

    /// A row label as a tic label: wrapped onto at most two lines of `width` characters, the
    /// rest cut with "…". A chart is not the place for a 54-character label (the data file keeps
    /// it whole); uncut, it pushed the plot into a corner of the image.
    static func ticLabel(_ label: String, width: Int = 24) -> String {
        let lines = TextWrapping.wrap(label, width: width)
        guard lines.count > 2 || lines.contains(where: { $0.count > width }) else { return lines.joined(separator: "\n") }
        var second = lines.count > 1 ? lines[1] : ""
        let first = lines[0].count > width ? String(lines[0].prefix(width - 1)) + "…" : lines[0]
        if lines.count > 2 || second.count > width { second = String(second.prefix(width - 1)) + "…" }
        return second.isEmpty ? first : first + "\n" + second
    }

    /// A file-name-safe form of a key: letters, digits, "-" and "_" kept, everything else "-".
    static func fileSafe(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
    }
}
