import Tensor

public final class Conv2d: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?
    public let options: Conv2dOptions

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int? = nil,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true,
                init initializer: Initializer = .pytorchDefault, biasValue: Float? = nil, rng: inout RNG) {
        options = Conv2dOptions(stride: stride, padding: padding ?? dilation * (kernel - 1) / 2,
                                dilation: dilation, groups: groups)
        let w = initializer.make([outChannels, inChannels / groups, kernel, kernel], rng: &rng)
        weight = w
        if bias {
            let fanIn = Float(inChannels / groups * kernel * kernel)
            let bound = 1 / fanIn.squareRoot()
            self.bias = biasValue.map { Tensor(filled: $0, shape: [outChannels]) }
                ?? (initializer == .pytorchDefault ? Tensor(uniform: [outChannels], low: -bound, high: bound, rng: &rng)
                    : Tensor(zeros: [outChannels]))
        } else {
            self.bias = nil
        }
        super.init()
        parameter("weight", w)
        if let b = self.bias { parameter("bias", b) }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.conv2d(weight: weight, bias: bias, options: options) }
}


public final class Linear: Module, Layer {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true,
                init initializer: Initializer = .pytorchDefault, rng: inout RNG) {
        weight = initializer.make([outFeatures, inFeatures], rng: &rng)
        let bound = 1 / Float(inFeatures).squareRoot()
        self.bias = bias ? (initializer == .pytorchDefault
            ? Tensor(uniform: [outFeatures], low: -bound, high: bound, rng: &rng) : Tensor(zeros: [outFeatures])) : nil
        super.init()
        parameter("weight", weight)
        if let b = self.bias { parameter("bias", b) }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.linear(weight: weight, bias: bias) }
}
