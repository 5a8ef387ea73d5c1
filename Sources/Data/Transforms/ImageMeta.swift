import Detection

/// How one image of a batch was made from its original: what is needed to map boxes both ways.
/// Mirrors mmdetection's `img_meta` (`ori_shape`, `img_shape`, `scale_factor`, `flip`).
public struct ImageMeta: Equatable, Sendable {
    public var imageID: Int
    public var originalWidth: Int, originalHeight: Int
    /// Size after resizing, before padding (mmdetection's `img_shape`): the valid region.
    public var width: Int, height: Int
    /// New size over original size, per axis.
    public var scaleX: Float, scaleY: Float
    public var flipped: Bool

    public init(imageID: Int, originalWidth: Int, originalHeight: Int, width: Int, height: Int,
                scaleX: Float, scaleY: Float, flipped: Bool) {
        self.imageID = imageID
        self.originalWidth = originalWidth; self.originalHeight = originalHeight
        self.width = width; self.height = height
        self.scaleX = scaleX; self.scaleY = scaleY
        self.flipped = flipped
    }

    /// Original image coordinates → network input coordinates: scale, clip to the resized image
    /// (mmdetection's `bbox_clip_border`), then mirror x when flipped (x' = W − x, corners swapped).
    public func transform(_ box: Box) -> Box {
        let w = Float(width), h = Float(height)
        var b = Box(x1: min(max(box.x1 * scaleX, 0), w), y1: min(max(box.y1 * scaleY, 0), h),
                    x2: min(max(box.x2 * scaleX, 0), w), y2: min(max(box.y2 * scaleY, 0), h))
        if flipped { b = Box(x1: w - b.x2, y1: b.y1, x2: w - b.x1, y2: b.y2) }
        return b
    }

    /// Network input coordinates → original image coordinates (for predictions): mirror back, then
    /// divide by the scale. The inverse of `transform` for boxes inside the image.
    public func toOriginal(_ box: Box) -> Box {
        let w = Float(width)
        let b = flipped ? Box(x1: w - box.x2, y1: box.y1, x2: w - box.x1, y2: box.y2) : box
        return Box(x1: b.x1 / scaleX, y1: b.y1 / scaleY, x2: b.x2 / scaleX, y2: b.y2 / scaleY)
    }

    /// An oriented box in network input coordinates → original image coordinates: the inverse of
    /// `transform` for rotated boxes (exact when both axes scale alike, as at every scale here).
    public func toOriginal(_ box: RotatedBox) -> RotatedBox {
        var r = box
        if flipped { r.centerX = Float(width) - r.centerX; r.angle = -r.angle }
        return RotatedBox(centerX: r.centerX / scaleX, centerY: r.centerY / scaleY, width: r.width / scaleX,
                          height: r.height / scaleY, angle: r.angle).normalized()
    }

    /// An annotation in network input coordinates: boxes as `transform`, area scaled, the rotated
    /// box scaled per axis as mmrotate does (cx·sx, cy·sy, w·sx, h·sy; angle negated when
    /// flipped), the mask resized (nearest) and mirrored.
    public func transform(_ object: ObjectAnnotation) -> ObjectAnnotation {
        var result = object
        result.box = transform(object.box)
        result.area = object.area * scaleX * scaleY
        result.visibleBox = object.visibleBox.map { transform($0) }
        if let r = object.rotatedBox {
            var rotated = RotatedBox(centerX: r.centerX * scaleX, centerY: r.centerY * scaleY,
                                     width: r.width * scaleX, height: r.height * scaleY, angle: r.angle)
            if flipped {
                rotated.centerX = Float(width) - rotated.centerX
                rotated.angle = -rotated.angle
            }
            result.rotatedBox = rotated.normalized()
        }
        if let mask = object.mask {
            let resized = ImageResizing.nearest(mask, newWidth: width, newHeight: height)
            result.mask = flipped ? resized.flippedHorizontally() : resized
        }
        return result
    }
}
