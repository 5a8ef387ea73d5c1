import Foundation
import Testing
@testable import Data

@Suite struct VOCDatasetTests {
    /// A two-image VOC tree: an XML with a normal, a difficult and an unknown-class object.
    static func writeVOC(in root: URL, secondXML: String? = nil) throws {
        let fm = FileManager.default
        for folder in ["Annotations", "JPEGImages", "ImageSets/Main"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "000005\n000007\n".write(to: root.appendingPathComponent("ImageSets/Main/trainval.txt"), atomically: true, encoding: .utf8)
        let first = """
        <annotation>
          <folder>VOC2007</folder>
          <filename>000005.jpg</filename>
          <size><width>40</width><height>30</height><depth>3</depth></size>
          <object>
            <name>chair</name><pose>Rear</pose><truncated>0</truncated><difficult>0</difficult>
            <bndbox><xmin>3</xmin><ymin>5</ymin><xmax>20</xmax><ymax>28</ymax></bndbox>
          </object>
          <object>
            <name>person</name><difficult>1</difficult>
            <bndbox><xmin>21.0</xmin><ymin>1</ymin><xmax>40</xmax><ymax>12</ymax></bndbox>
            <part><name>head</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></part>
          </object>
          <object>
            <name>unicorn</name><difficult>0</difficult>
            <bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox>
          </object>
        </annotation>
        """
        let second = secondXML ?? """
        <annotation><size><width>40</width><height>30</height></size>
          <object><name>dog</name><bndbox><xmin>10</xmin><ymin>10</ymin><xmax>30</xmax><ymax>20</ymax></bndbox></object>
        </annotation>
        """
        try first.write(to: root.appendingPathComponent("Annotations/000005.xml"), atomically: true, encoding: .utf8)
        try second.write(to: root.appendingPathComponent("Annotations/000007.xml"), atomically: true, encoding: .utf8)
        let pixels: [Float] = (0..<(3 * 40 * 30)).map { (index: Int) -> Float in Float(index % 40) / 40 }
        for name in ["000005", "000007"] {
            try JPEGCodec.write(pixels: pixels, width: 40, height: 30, to: root.appendingPathComponent("JPEGImages/\(name).jpg"))
        }
    }

    @Test func readsObjectsDifficultFlagsAndTheSplit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try VOCDatasetTests.writeVOC(in: directory.url)
        let voc = try VOCDataset(root: directory.url, split: "trainval")
        #expect(voc.count == 2 && voc.imageNames == ["000005", "000007"] && voc.numClasses == 20)
        let first = try voc.sample(0)
        #expect(first.imageID == 1 && first.width == 40 && first.height == 30)
        // mmdetection 2.x: int(float(v)) − 1 on all four coordinates; unknown classes skipped.
        #expect(first.objects.count == 2)
        #expect(first.objects[0].label == VOCDataset.vocClassNames.firstIndex(of: "chair"))
        #expect(first.objects[0].box == .init(x1: 2, y1: 4, x2: 19, y2: 27) && !first.objects[0].isDifficult)
        #expect(first.objects[1].label == 14 && first.objects[1].isDifficult)
        #expect(first.objects[1].box == .init(x1: 20, y1: 0, x2: 39, y2: 11))
        let truth = voc.groundTruth()
        #expect(truth.images.map(\.id) == [1, 2] && truth.images[0].width == 40)
        #expect(truth.annotations.map(\.ignore) == [false, true, false])
        #expect(truth.annotations[0].bbox.asArray == [2, 4, 17, 23])
    }
}
