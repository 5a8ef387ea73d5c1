import Foundation
import Tensor

/// Times this core's convolutions alone, forward and backward, over a list of layer shapes (one
/// line per convolution: `batch cin h w cout kernel stride padding`), summed as one step: the
/// figure to set beside another library's convolutions on the same list. The first layer gets no
/// input gradient, as a network's stem does not.
struct ConvShapesBenchmark {
    struct Layer { let x, weight, seed: Tensor; let options: Conv2dOptions }

    let layers: [Layer]

    init(file: String) throws {
        var rng = RNG(seed: 0)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw BenchmarkError.unreadable(file: file)
        }
        var layers: [Layer] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            let v = line.split(separator: " ").compactMap { Int($0) }
            guard v.count == 8 else { throw BenchmarkError.badLine(file: file, line: index + 1, text: String(line)) }
            let x = Tensor(normal: [v[0], v[1], v[2], v[3]], rng: &rng)
            x.requiresGrad = index > 0
            let weight = Tensor(normal: [v[4], v[1], v[5], v[5]], rng: &rng)
            weight.requiresGrad = true
            let options = Conv2dOptions(stride: v[6], padding: v[7])
            let out = GradMode.withoutGrad { x.conv2d(weight: weight, options: options) }
            layers.append(Layer(x: x, weight: weight, seed: Tensor(normal: out.shape, rng: &rng), options: options))
        }
        self.layers = layers
    }

    enum BenchmarkError: Error, CustomStringConvertible {
        case unreadable(file: String)
        case badLine(file: String, line: Int, text: String)
        var description: String {
            switch self {
            case let .unreadable(file): "\(file): cannot be read as UTF-8 text"
            case let .badLine(file, line, text):
                "\(file):\(line): expected 8 integers (batch cin h w cout kernel stride padding), got '\(text)'"
            }
        }
    }

    /// One layer's forward, then backward from its fixed output gradient.
    func run(_ layer: Layer) {
        layer.x.grad = nil; layer.weight.grad = nil
        layer.x.conv2d(weight: layer.weight, options: layer.options).backward(seed: layer.seed.data)
    }

    /// One pass over every layer.
    func pass() { layers.forEach(run) }

    /// The fastest of `rounds` timings of each layer alone (forward and backward), in seconds.
    func measureLayers(rounds: Int) -> [Double] {
        layers.map { layer in
            var best = Double.infinity
            for _ in 0..<(rounds + 1) {
                let start = DispatchTime.now().uptimeNanoseconds
                run(layer)
                best = Swift.min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return best
        }
    }

    /// The fastest of `rounds` passes, in seconds, after `warmup` passes.
    func measure(warmup: Int, rounds: Int) -> Double {
        for _ in 0..<warmup { pass() }
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            pass()
            best = Swift.min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }
}
