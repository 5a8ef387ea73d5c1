import Evaluation

/// Several datasets read one after another as one (mmdetection's `ConcatDataset`: VOC 2007 +
/// 2012 trainval). Image ids are made unique by an offset per part, so that evaluation and
/// batch metadata never mix two images up; class names must agree.
public struct ConcatenatedDataset: DetectionDataset {
    public let parts: [any DetectionDataset]
    public let name: String
    public var classNames: [String] { parts[0].classNames }
    public let count: Int
    private let starts: [Int]
    /// Added to part k's image ids: larger than every id of the parts before it.
    private let idOffsets: [Int]

    public init(_ parts: [any DetectionDataset], name: String? = nil) throws {
        guard let first = parts.first else { throw DataError(file: name ?? "concatenation", message: "no datasets to concatenate") }
        for part in parts where part.classNames != first.classNames {
            throw DataError(file: part.name, message: "class names differ from \(first.name)'s")
        }
        self.parts = parts
        self.name = name ?? parts.map(\.name).joined(separator: "+")
        var starts: [Int] = [], offsets: [Int] = [], total = 0, offset = 0
        for part in parts {
            starts.append(total); offsets.append(offset)
            total += part.count
            offset += (part.groundTruth().images.map(\.id).max() ?? 0) + 1
        }
        self.starts = starts; self.idOffsets = offsets; self.count = total
    }

    private func locate(_ index: Int) -> (part: Int, local: Int) {
        let part = starts.lastIndex { $0 <= index }!
        return (part, index - starts[part])
    }

    public func sample(_ index: Int) throws -> DetectionSample {
        let (part, local) = locate(index)
        var sample = try parts[part].sample(local)
        sample.imageID += idOffsets[part]
        return sample
    }

    public func groundTruth() -> COCOGroundTruth {
        var images: [COCOImage] = [], annotations: [COCOAnnotation] = [], categories: [COCOCategory] = []
        var nextAnnotation = 1
        for (part, dataset) in parts.enumerated() {
            let truth = dataset.groundTruth()
            if part == 0 { categories = truth.categories }
            images += truth.images.map { var image = $0; image.id += idOffsets[part]; return image }
            for var annotation in truth.annotations {
                annotation.imageID += idOffsets[part]
                annotation.id = nextAnnotation
                nextAnnotation += 1
                annotations.append(annotation)
            }
        }
        return COCOGroundTruth(images: images, categories: categories, annotations: annotations)
    }
}
