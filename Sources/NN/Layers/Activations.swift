import Tensor

/// ReLU as a layer, for `Sequential` stacks.
public final class ReLU: Module, Layer {
    public override init() { super.init() }
    public func callAsFunction(_ x: Tensor) -> Tensor { x.relu() }
}
