/// Word wrapping for plain-text reports.
enum TextWrapping {
    /// Splits `text` into lines of at most `width` characters at spaces; a word longer than the
    /// width gets a line of its own rather than being cut (a cell reference must stay whole).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0, text.count > width else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }

    /// Wraps `text` to `width`, starting the first line with `first` and later lines with
    /// `rest` (a hanging indent of the same length).
    static func hanging(_ text: String, first: String, rest: String, width: Int) -> [String] {
        wrap(text, width: max(20, width - max(first.count, rest.count))).enumerated().map { ($0.offset == 0 ? first : rest) + $0.element }
    }

    static func pad(_ text: String, to width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
