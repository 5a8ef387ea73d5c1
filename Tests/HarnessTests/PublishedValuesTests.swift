import Testing
@testable import Harness

@Suite struct PublishedValuesTests {
    @Test func jsonHoldsEveryCellInTableRowColumnOrder() throws {
        let spec = try TableLoader.parse(TableFixture.text(replacing: [23: "    label: \"LD \\\"τ=10\\\"\""]),
                                         file: TableFixture.file)
        #expect(PublishedValuesJSON.render([spec]) == """
            [
              {"paper": "ld", "table": "3", "row": "Baseline", "column": "AP", "value": 40.10},
              {"paper": "ld", "table": "3", "row": "Baseline", "column": "AP50", "value": 58.2},
              {"paper": "ld", "table": "3", "row": "LD \\"τ=10\\"", "column": "AP", "value": 41.1},
              {"paper": "ld", "table": "3", "row": "LD \\"τ=10\\"", "column": "AP50", "value": "-"}
            ]
            """)
        #expect(PublishedValuesJSON.render([]) == "[]")
    }

    @Test func numbersNotValidAsJSONAreRespelt() {
        #expect(PublishedValuesJSON.numberLiteral(printed: "+1.5", value: 1.5) == "1.5")
        #expect(PublishedValuesJSON.numberLiteral(printed: ".5", value: 0.5) == "0.5")
        #expect(PublishedValuesJSON.numberLiteral(printed: "007", value: 7) == "7")
        #expect(PublishedValuesJSON.numberLiteral(printed: "1_000", value: 1000) == "1000")
        #expect(PublishedValuesJSON.numberLiteral(printed: "-0.25", value: -0.25) == "-0.25")
        #expect(PublishedValuesJSON.numberLiteral(printed: "1e3", value: 1000) == "1e3")
    }

    @Test func predicatesEvaluateOnNumbers() {
        let a = CellReference(row: "a", column: "c"), b = CellReference(row: "b", column: "c")
        let values = [a: 40.2, b: 40.1]
        func holds(_ p: Predicate, higherIsBetter: Bool = true) -> Bool? { p.holds(higherIsBetter: higherIsBetter) { values[$0] } }
        #expect(holds(.better(a, than: b, margin: 0)) == true)
        #expect(holds(.better(a, than: b, margin: 0.1)) == false) // 0.1 is not more than 0.1, despite binary noise
        #expect(holds(.within(a, of: b, margin: 0.1)) == true)
        #expect(holds(.better(a, than: b, margin: 0), higherIsBetter: false) == false)
        #expect(holds(.ordered([b, a], direction: .increasing, margin: 0)) == true)
        #expect(holds(.best(b, among: [a], margin: 0.1)) == true)
        #expect(holds(.better(a, than: CellReference(row: "x", column: "c"), margin: 0)) == nil)
    }
}
