/// One image with its objects, as every dataset hands it out.
public struct DetectionSample: Equatable, Sendable {
    /// Matches `COCOImage.id` in the dataset's `groundTruth()`.
    public var imageID: Int
    public var width: Int
    public var height: Int
    /// Channel-major RGB in [0, 1]: `pixels[c * height * width + y * width + x]`.
    public var pixels: [Float]
    public var objects: [ObjectAnnotation]

    public init(imageID: Int, width: Int, height: Int, pixels: [Float], objects: [ObjectAnnotation]) {
        precondition(pixels.count == 3 * width * height,
                     "DetectionSample: \(pixels.count) values for 3×\(height)×\(width)")
        self.imageID = imageID
        self.width = width
        self.height = height
        self.pixels = pixels
        self.objects = objects
    }
}
