import Testing
@testable import Harness

@Suite struct PrintedDeltaAuditTests {
    /// Rows base (40.10 / 58.2 / 3.0) and ld (41.1 / 59.9 / 2.4) with the given deltas.
    func audit(_ deltas: String, mMRLowerIsBetter: Bool = true) throws -> [PrintedDeltaFinding] {
        let text = TableFixture.text(replacing: [
            17: "  - {key: AP50, metric: AP50}\n  - {key: mMR, metric: mMR, higher_is_better: \(!mMRLowerIsBetter)}",
            21: "    values: {AP: 40.10, AP50: 58.2, mMR: 3.0}",
            26: "    printed_deltas: \(deltas)",
            27: "    values: {AP: 41.1, AP50: 59.9, mMR: 2.4}",
        ])
        return try TableLoader.parse(text, file: TableFixture.file).printedDeltaAudit()
    }

    @Test func consistentDeltasGiveNoFindings() throws {
        #expect(try audit("{AP: \"+1.0\", AP50: \"+1.7\", mMR: \"-0.6\"}").isEmpty)
        // A coarser printed delta is compared after rounding: 1.00 → "+1".
        #expect(try audit("{AP: \"+1\"}").isEmpty)
        // An arrow is an improvement in the column's own sense: mMR fell by 0.6.
        #expect(try audit("{mMR: \"↑ 0.6\"}").isEmpty)
    }

    @Test func mismatchWithinRoundingOfTheCells() throws {
        let findings = try audit("{AP50: \"+1.8\"}")
        #expect(findings.count == 1)
        #expect(findings[0].kind == .mismatch(computed: "+1.7", withinRounding: true))
        #expect(findings[0].line == 27) // line 26 of the fixture, one line down after the added column
        #expect(findings[0].description.hasPrefix("tables/ld/table3.yaml:27: ld/table3 row 'ld' column 'AP50': printed +1.8"))
    }

    @Test func mismatchNotExplainedByRounding() throws {
        let findings = try audit("{AP50: \"+2.7\", AP: \"-1.0\"}")
        #expect(findings.map(\.column) == ["AP", "AP50"])
        #expect(findings.map(\.kind) == [.mismatch(computed: "+1.00", withinRounding: false),
                                         .mismatch(computed: "+1.7", withinRounding: false)])
    }

    @Test func arrowsFollowTheColumnDirection() throws {
        // "↑ 0.6" on a lower-is-better column means −0.6: consistent. "↓ 0.6" would be +0.6.
        #expect(try audit("{mMR: \"↓ 0.6\"}").map(\.kind) == [.mismatch(computed: "-0.6", withinRounding: false)])
        // On a higher-is-better column "↑ 0.6" means +0.6, which the cells contradict.
        #expect(try audit("{mMR: \"↑ 0.6\"}", mMRLowerIsBetter: false).count == 1)
    }

    @Test func textCellsAreUncheckable() throws {
        let text = TableFixture.text(replacing: [26: "    printed_deltas: {AP50: \"+1.0\"}"])
        let findings = try TableLoader.parse(text, file: TableFixture.file).printedDeltaAudit()
        #expect(findings.count == 1)
        if case .uncheckable = findings.first?.kind {} else { Issue.record("expected uncheckable, got \(findings)") }
    }

    @Test func decimalArithmeticIsExact() {
        let a = PrintedDecimal("37.5")!, b = PrintedDecimal("35.8")!
        #expect((a - b) == PrintedDecimal(digits: 17, scale: 1))
        #expect(PrintedDecimal("40.15")!.rescaled(to: 1) == PrintedDecimal(digits: 402, scale: 1))
        #expect(PrintedDecimal("-0.25")!.rescaled(to: 1) == PrintedDecimal(digits: -3, scale: 1))
        #expect(PrintedDecimal(digits: -2, scale: 2).signedText == "-0.02")
        #expect(PrintedDecimal("1e3") == nil)
    }
}
