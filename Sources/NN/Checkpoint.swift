import Foundation
import Tensor

/// Everything a run needs to continue exactly where it stopped: model state (parameters and
/// buffers), each optimizer's state, each RNG stream and the iteration.
///
/// File layout: an 8-byte little-endian header length, a JSON header (names, shapes, offsets and
/// metadata), then raw little-endian float32 payload. Written to a temporary file and renamed, so
/// a kill during a save never leaves a torn checkpoint.
public struct Checkpoint {
    public var iteration: Int
    public var tensors: [String: Tensor]              // "model.<name>", "optim.<opt>.<key>"
    public var rngs: [String: RNG]
    public var metadata: [String: String]

    public init(iteration: Int, tensors: [String: Tensor] = [:], rngs: [String: RNG] = [:], metadata: [String: String] = [:]) {
        self.iteration = iteration; self.tensors = tensors; self.rngs = rngs; self.metadata = metadata
    }

    /// Captures a model, named optimizers and RNG streams.
    public init(iteration: Int, model: Module, optimizers: [String: any Optimizer], rngs: [String: RNG],
                metadata: [String: String] = [:]) {
        var t: [String: Tensor] = [:]
        for (name, tensor) in model.state() { t["model." + name] = tensor.detached() }
        for (name, opt) in optimizers {
            for (key, values) in opt.stateTensors() { t["optim.\(name).\(key)"] = Tensor(shape: [values.count], data: values) }
        }
        self.init(iteration: iteration, tensors: t, rngs: rngs, metadata: metadata)
    }

    /// Restores a model and optimizers captured by `init(iteration:model:optimizers:rngs:)`.
    /// `mayKeepOwn`: as `Module.load`'s.
    public func restore(model: Module, optimizers: [String: any Optimizer], mayKeepOwn: (String) -> Bool = { _ in false }) throws {
        var modelState: [String: Tensor] = [:]
        for (key, t) in tensors where key.hasPrefix("model.") { modelState[String(key.dropFirst(6))] = t }
        try model.load(state: modelState, mayKeepOwn: mayKeepOwn)
        for (name, opt) in optimizers {
            let prefix = "optim.\(name)."
            var s: [String: [Float]] = [:]
            for (key, t) in tensors where key.hasPrefix(prefix) { s[String(key.dropFirst(prefix.count))] = t.data }
            try opt.loadState(s)
        }
    }

    private struct Header: Codable {
        struct Entry: Codable { var name: String; var shape: [Int]; var offset: Int }
        var format = "detkd-checkpoint-1"
        var iteration: Int
        var entries: [Entry]
        var rngs: [String: RNG]
        var metadata: [String: String]
    }

    public func write(to url: URL) throws {
        var entries: [Header.Entry] = []
        var offset = 0
        for name in tensors.keys.sorted() {
            entries.append(.init(name: name, shape: tensors[name]!.shape, offset: offset))
            offset += tensors[name]!.count
        }
        let header = try JSONEncoder().encode(Header(iteration: iteration, entries: entries, rngs: rngs, metadata: metadata))
        var blob = Data()
        var length = UInt64(header.count).littleEndian
        blob.append(Data(bytes: &length, count: 8))
        blob.append(header)
        blob.reserveCapacity(blob.count + offset * 4)
        for e in entries {
            tensors[e.name]!.data.withUnsafeBufferPointer { blob.append(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: $0.count * 4)) }
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.appendingPathExtension("partial")
        try blob.write(to: temporary)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: temporary, to: url)
    }

    public static func read(from url: URL) throws -> Checkpoint {
        func fail(_ why: String) -> CheckpointError { CheckpointError(path: url.path, reason: why) }
        guard let blob = try? Data(contentsOf: url) else { throw fail("cannot read the file") }
        guard blob.count >= 8 else { throw fail("file is shorter than its header") }
        let length = Int(blob.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
        guard length > 0, 8 + length <= blob.count else { throw fail("corrupt header length \(length)") }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: blob.subdata(in: 8..<(8 + length))) }
        catch { throw fail("corrupt header: \(error)") }
        guard header.format == "detkd-checkpoint-1" else { throw fail("unknown format \(header.format)") }
        let payload = blob.subdata(in: (8 + length)..<blob.count)
        let total = header.entries.reduce(0) { $0 + $1.shape.reduce(1, *) }
        guard payload.count == total * 4 else { throw fail("payload has \(payload.count) bytes, header describes \(total * 4)") }
        var tensors: [String: Tensor] = [:]
        payload.withUnsafeBytes { raw in
            let floats = raw.bindMemory(to: Float.self)
            for e in header.entries {
                let n = e.shape.reduce(1, *)
                tensors[e.name] = Tensor(shape: e.shape, data: Array(floats[e.offset..<(e.offset + n)]))
            }
        }
        return Checkpoint(iteration: header.iteration, tensors: tensors, rngs: header.rngs, metadata: header.metadata)
    }
}

public struct CheckpointError: Error, CustomStringConvertible {
    public let path: String, reason: String
    public var description: String { "checkpoint \(path): \(reason)" }
}
