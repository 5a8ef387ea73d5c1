import Detection
import Foundation
import Testing
@testable import Data

/// Draws generated scenes with their boxes into one JPEG, for looking at: run with
/// `DATA_CONTACT_SHEET=/tmp/sheet.jpg [DATA_VARIANT=crowded] swift test --filter ContactSheet`.
@Suite struct ContactSheetTests {
    static let path = ProcessInfo.processInfo.environment["DATA_CONTACT_SHEET"]

    @Test(.enabled(if: path != nil)) func writesContactSheet() throws {
        let variant = ProcessInfo.processInfo.environment["DATA_VARIANT"]
            .flatMap(SyntheticSceneConfig.Variant.init(rawValue:)) ?? .standard
        let environment = ProcessInfo.processInfo.environment
        let scenes = SyntheticScenes(config: SyntheticSceneConfig(variant: variant))
        // DATA_SHEET_INDICES=4,8 and DATA_SHEET_ZOOM=4 look closer at chosen images.
        let indices = environment["DATA_SHEET_INDICES"].map { $0.split(separator: ",").compactMap { Int($0) } }
            ?? Array(0..<16)
        let zoom = environment["DATA_SHEET_ZOOM"].flatMap(Int.init) ?? 2
        let samples = try indices.map { try scenes.sample($0) }
        let sheet = ContactSheet(samples: samples, columns: min(4, samples.count), zoom: zoom)
        try JPEGCodec.write(pixels: sheet.pixels, width: sheet.width, height: sheet.height, quality: 95,
                            to: URL(fileURLWithPath: ContactSheetTests.path ?? "/tmp/sheet.jpg"))
    }
}

/// Samples tiled on a grey sheet, each enlarged by `zoom`, with boxes outlined: labelled boxes in
/// a colour per class, difficult ones dashed grey, visible boxes (crowded) in white, rotated boxes
/// as polygons.
struct ContactSheet {
    let width: Int, height: Int
    var pixels: [Float]

    init(samples: [DetectionSample], columns: Int, zoom: Int, gutter: Int = 6) {
        let cell = samples.map { max($0.width, $0.height) }.max() ?? 1
        let rows = (samples.count + columns - 1) / columns
        width = columns * (cell * zoom + gutter) + gutter
        height = rows * (cell * zoom + gutter) + gutter
        pixels = [Float](repeating: 0.5, count: 3 * width * height)
        for (index, sample) in samples.enumerated() {
            let ox = gutter + (index % columns) * (cell * zoom + gutter)
            let oy = gutter + (index / columns) * (cell * zoom + gutter)
            let n = sample.width * sample.height
            for y in 0..<(sample.height * zoom) {
                for x in 0..<(sample.width * zoom) {
                    for c in 0..<3 {
                        set(ox + x, oy + y, c, sample.pixels[c * n + (y / zoom) * sample.width + x / zoom])
                    }
                }
            }
            for object in sample.objects {
                let colour = object.isDifficult ? [0.6, 0.6, 0.6] : ContactSheet.palette[object.label % 12]
                if let rotated = object.rotatedBox {
                    let corners = rotated.corners
                    for k in 0..<4 {
                        let a = corners[k], b = corners[(k + 1) % 4]
                        line(Float(ox) + a.x * Float(zoom), Float(oy) + a.y * Float(zoom),
                             Float(ox) + b.x * Float(zoom), Float(oy) + b.y * Float(zoom), colour)
                    }
                } else {
                    rectangle(object.box, ox: ox, oy: oy, zoom: zoom, colour: colour)
                }
                if let visible = object.visibleBox {
                    rectangle(visible, ox: ox, oy: oy, zoom: zoom, colour: [1, 1, 1])
                }
            }
        }
    }

    static let palette: [[Float]] = [
        [1, 0.2, 0.2], [0.2, 1, 0.2], [0.3, 0.5, 1], [1, 1, 0.2], [1, 0.2, 1], [0.2, 1, 1],
        [1, 0.6, 0.1], [0.6, 0.3, 1], [0.6, 1, 0.3], [1, 0.5, 0.6], [0.1, 0.6, 0.6], [0.9, 0.9, 0.9],
    ]

    private mutating func set(_ x: Int, _ y: Int, _ c: Int, _ value: Float) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        pixels[c * width * height + y * width + x] = value
    }

    /// The outline's pixels are those whose left/top edge lies on the zoomed box edge.
    private mutating func rectangle(_ box: Box, ox: Int, oy: Int, zoom: Int, colour: [Float]) {
        let x1 = Float(ox) + box.x1 * Float(zoom), x2 = Float(ox) + box.x2 * Float(zoom)
        let y1 = Float(oy) + box.y1 * Float(zoom), y2 = Float(oy) + box.y2 * Float(zoom)
        line(x1, y1, x2, y1, colour); line(x2, y1, x2, y2, colour)
        line(x2, y2, x1, y2, colour); line(x1, y2, x1, y1, colour)
    }

    private mutating func line(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float, _ colour: [Float]) {
        let steps = Int(max(abs(x2 - x1), abs(y2 - y1)).rounded(.up)) + 1
        for s in 0...steps {
            let t = Float(s) / Float(steps)
            let x = Int((x1 + (x2 - x1) * t).rounded(.down)), y = Int((y1 + (y2 - y1) * t).rounded(.down))
            for c in 0..<3 { set(x, y, c, colour[c]) }
        }
    }
}
