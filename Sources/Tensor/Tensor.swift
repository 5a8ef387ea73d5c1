/// A dense float32 tensor in row-major (C) order, and a node of the reverse-mode autodiff graph.
///
/// Storage is always contiguous: views such as `permuted` or `slice` copy. That keeps every kernel
/// a plain loop over memory and costs little next to convolution GEMMs.
///
/// Graph construction is single-threaded; kernels may use several threads internally.
public final class Tensor {
    public let shape: [Int]
    public internal(set) var data: [Float]
    /// Whether gradients flow to this tensor. Parameters set it; results inherit it from inputs.
    public var requiresGrad: Bool
    /// dLoss/dSelf after `backward()`, same layout as `data`; nil until a gradient arrives.
    public var grad: [Float]?

    /// Inputs of the op that made this tensor (empty for leaves), kept for the topological sort.
    var inputs: [Tensor] = []
    /// Propagates the incoming gradient (same layout as `data`) to `inputs`.
    var backwardFn: (([Float]) -> Void)?

    public init(shape: [Int], data: [Float], requiresGrad: Bool = false) {
        precondition(data.count == shape.reduce(1, *),
                     "Tensor: data has \(data.count) elements, shape \(shape) needs \(shape.reduce(1, *))")
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in \(shape)")
        self.shape = shape
        self.data = data
        self.requiresGrad = requiresGrad
    }

    public var count: Int { data.count }
    public var rank: Int { shape.count }
    public var isLeaf: Bool { backwardFn == nil }

    /// The single value of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item: tensor of shape \(shape) has \(count) elements")
        return data[0]
    }

    /// Sets the stored values in place (parameters, optimizer updates). Not recorded in the graph.
    public func assign(_ newData: [Float]) {
        precondition(newData.count == count, "assign: \(newData.count) values for shape \(shape)")
        data = newData
    }

    /// Mutable access for in-place updates that are not part of the graph (optimizer steps).
    public func withMutableData<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try data.withUnsafeMutableBufferPointer { try body($0) }
    }

    public func zeroGrad() { grad = nil }
}

// MARK: - Construction

extension Tensor {
    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    public convenience init(filled value: Float, shape: [Int]) {
        self.init(shape: shape, data: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    public convenience init(scalar value: Float) {
        self.init(shape: [], data: [value])
    }

    /// Independent draws from N(mean, std²).
    public convenience init(normal shape: [Int], mean: Float = 0, std: Float = 1, rng: inout RNG) {
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = mean + std * rng.normal() }
        self.init(shape: shape, data: values)
    }

    /// Independent draws from U[low, high).
    public convenience init(uniform shape: [Int], low: Float = 0, high: Float = 1, rng: inout RNG) {
        let n = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = low + (high - low) * rng.uniform() }
        self.init(shape: shape, data: values)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = data.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", …" : "")])"
    }
}
