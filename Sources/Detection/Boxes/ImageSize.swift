/// An image's size in pixels. mmdet passes `img_shape` / `pad_shape` as (h, w); here the fields
/// are named so the order cannot be confused.
public struct ImageSize: Equatable, Hashable, Sendable, Codable {
    public var width: Int, height: Int

    public init(width: Int, height: Int) { self.width = width; self.height = height }
}
