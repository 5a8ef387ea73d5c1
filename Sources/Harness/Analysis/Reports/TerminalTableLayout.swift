/// Draws a `ReportGrid` as aligned plain-text columns no wider than `width`, splitting the
/// table's columns into consecutive groups when they do not fit side by side (each group repeats
/// the row labels, so every block reads on its own).
struct TerminalTableLayout {
    var grid: ReportGrid
    var width: Int = 120
    /// Longer row labels wrap onto further lines, so that a long label does not eat the width.
    var maximumLabelWidth: Int = 30

    private static let gap = "  "
    private static let groupSeparator = " │ "

    func render() -> [String] {
        let labelWidth = min(maximumLabelWidth, max("Row".count, grid.rows.map(\.spec.label.count).max() ?? 0))
        let blocks = grid.columns.indices.map(columnBlock)
        var groups: [[Int]] = []
        var used = labelWidth
        for (index, block) in blocks.enumerated() {
            let extra = Self.groupSeparator.count + block.width
            if groups.isEmpty || used + extra > width {
                groups.append([index])
                used = labelWidth + extra
            } else {
                groups[groups.count - 1].append(index)
                used += extra
            }
        }
        var lines: [String] = []
        for (number, group) in groups.enumerated() {
            if number > 0 { lines.append("") }
            lines += render(group: group.map { blocks[$0] }, labelWidth: labelWidth)
        }
        return lines
    }

    /// One table column: its sub-column headers and texts, and their widths.
    private struct ColumnBlock {
        var title: String
        var headers: [String]
        /// [row][sub-column]
        var texts: [[String]]
        var widths: [Int]
        var width: Int { max(title.count, widths.reduce(0, +) + TerminalTableLayout.gap.count * (widths.count - 1)) }
    }

    private func columnBlock(_ index: Int) -> ColumnBlock {
        // Short headers keep two table columns side by side in 120 characters for most tables.
        var headers = ["paper", "measured"]
        if grid.hasDeltas { headers += ["Δ paper", "Δ measured"] }
        let texts = grid.rows.map { row -> [String] in
            let cell = row.cells[index]
            var texts = [cell.published, cell.measured]
            if grid.hasDeltas { texts += [cell.publishedDelta ?? "", cell.measuredDelta ?? ""] }
            return texts
        }
        let widths = headers.indices.map { sub in max(headers[sub].count, texts.map { $0[sub].count }.max() ?? 0) }
        return ColumnBlock(title: grid.columns[index].key, headers: headers, texts: texts, widths: widths)
    }

    private func render(group: [ColumnBlock], labelWidth: Int) -> [String] {
        func line(label: String, parts: [String]) -> String {
            let body = TextWrapping.pad(label, to: labelWidth) + parts.map { Self.groupSeparator + $0 }.joined()
            return String(body.reversed().drop { $0 == " " }.reversed())
        }
        // The extra width a block's title forces is given to its last sub-column.
        func widths(_ block: ColumnBlock) -> [Int] {
            var widths = block.widths
            widths[widths.count - 1] += block.width - (widths.reduce(0, +) + Self.gap.count * (widths.count - 1))
            return widths
        }
        var lines = [
            line(label: "", parts: group.map { block in
                let padding = block.width - block.title.count
                return TextWrapping.pad(String(repeating: " ", count: padding / 2) + block.title, to: block.width)
            }),
            line(label: "Row", parts: group.map { block in
                zip(block.headers, widths(block)).map { TextWrapping.pad($0, to: $1, right: true) }.joined(separator: Self.gap)
            }),
            String(repeating: "─", count: labelWidth + group.reduce(0) { $0 + Self.groupSeparator.count + $1.width }),
        ]
        for (rowIndex, row) in grid.rows.enumerated() {
            let labelLines = TextWrapping.wrap(row.spec.label, width: labelWidth)
            lines.append(line(label: labelLines[0], parts: group.map { block in
                zip(block.texts[rowIndex], widths(block)).map { TextWrapping.pad($0, to: $1, right: true) }.joined(separator: Self.gap)
            }))
            for more in labelLines.dropFirst() {
                lines.append(line(label: more, parts: []))
            }
        }
        return lines
    }
}
