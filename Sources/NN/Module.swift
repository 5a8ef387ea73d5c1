import Tensor

/// A network component with named parameters, buffers (running statistics) and children.
///
/// Names are dotted paths like PyTorch's state dicts ("stages.1.0.conv1.weight"), so that
/// checkpoints, parameter groups and freezing can address any part of a model.
open class Module {
    public private(set) var ownParameters: [(name: String, tensor: Tensor)] = []
    public private(set) var ownBuffers: [(name: String, tensor: Tensor)] = []
    public private(set) var children: [(name: String, module: Module)] = []
    /// Training mode (batch statistics in BatchNorm); set for the whole tree with `train(_:)`.
    public private(set) var isTraining = true

    public init() {}

    @discardableResult
    public func parameter(_ name: String, _ tensor: Tensor) -> Tensor {
        tensor.requiresGrad = true
        ownParameters.append((name, tensor))
        return tensor
    }

    @discardableResult
    public func buffer(_ name: String, _ tensor: Tensor) -> Tensor {
        ownBuffers.append((name, tensor))
        return tensor
    }

    @discardableResult
    public func child<M: Module>(_ name: String, _ module: M) -> M {
        children.append((name, module))
        return module
    }

    public func namedParameters(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        ownParameters.map { (prefix + $0.name, $0.tensor) }
            + children.flatMap { $0.module.namedParameters(prefix: prefix + $0.name + ".") }
    }

    public func namedBuffers(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        ownBuffers.map { (prefix + $0.name, $0.tensor) }
            + children.flatMap { $0.module.namedBuffers(prefix: prefix + $0.name + ".") }
    }

    public var parameters: [Tensor] { namedParameters().map(\.tensor) }

    /// Parameters that currently receive gradients.
    public var trainableParameters: [Tensor] { parameters.filter(\.requiresGrad) }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    public func train(_ on: Bool = true) {
        isTraining = on
        for c in children { c.module.train(on) }
    }

    /// Stops gradients to every parameter whose name starts with `prefix` ("" = all).
    public func freeze(prefix: String = "") {
        for (name, t) in namedParameters() where name.hasPrefix(prefix) { t.requiresGrad = false }
    }

    public func unfreeze(prefix: String = "") {
        for (name, t) in namedParameters() where name.hasPrefix(prefix) { t.requiresGrad = true }
    }

    public func zeroGrad() { for p in parameters { p.grad = nil } }

    /// Copies parameter and buffer values from `state` by name; names missing in either side are
    /// errors, so a checkpoint never loads silently into the wrong architecture. `mayKeepOwn`
    /// names this module's tensors that `state` may lack; they keep their values (a deformable
    /// convolution's offset branch, loading a plain network's weights).
    public func load(state: [String: Tensor], mayKeepOwn: (String) -> Bool = { _ in false }) throws {
        let mine = (namedParameters() + namedBuffers()).filter { state[$0.name] != nil || !mayKeepOwn($0.name) }
        let missing = mine.map(\.name).filter { state[$0] == nil }
        let unexpected = Set(state.keys).subtracting(mine.map(\.name))
        guard missing.isEmpty && unexpected.isEmpty else {
            throw ModuleError.stateMismatch(missing: missing, unexpected: unexpected.sorted())
        }
        for (name, t) in mine {
            let src = state[name]!
            guard src.shape == t.shape else { throw ModuleError.shapeMismatch(name: name, expected: t.shape, found: src.shape) }
            t.assign(src.data)
        }
    }

    /// Every parameter and buffer by name.
    public func state() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameters() + namedBuffers())
    }
}

public enum ModuleError: Error, CustomStringConvertible {
    case stateMismatch(missing: [String], unexpected: [String])
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case let .stateMismatch(missing, unexpected):
            return "state does not match the model: missing \(missing.prefix(5))\(missing.count > 5 ? "…" : ""), unexpected \(unexpected.prefix(5))"
        case let .shapeMismatch(name, expected, found):
            return "state '\(name)' has shape \(found), model expects \(expected)"
        }
    }
}

/// Applies child modules in order.
public final class Sequential: Module {
    public private(set) var layers: [(Tensor) -> Tensor] = []

    public override init() { super.init() }

    public func append<M: Module & Layer>(_ module: M) {
        child(String(layers.count), module)
        layers.append { module($0) }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { layers.reduce(x) { $1($0) } }
}

/// A module that maps one tensor to one tensor.
public protocol Layer: AnyObject {
    func callAsFunction(_ x: Tensor) -> Tensor
}
