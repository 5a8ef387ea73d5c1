import Tensor

/// A feature extractor returning C2–C5 (strides `outStrides`, channels `outChannels`).
public protocol Backbone: Module {
    var outChannels: [Int] { get }
    var outStrides: [Int] { get }
    func callAsFunction(_ x: Tensor) -> [Tensor]
}

extension ResNet: Backbone {}

extension MobileNetV2: Backbone {}
