import Foundation
import Tensor

/// Reads the safetensors format (huggingface/safetensors: an 8-byte little-endian header length,
/// a JSON header mapping names to dtype, shape and byte offsets, then the raw little-endian
/// data), the file type the full profile takes ImageNet weights in (a torchvision state dict
/// saved with `safetensors.torch.save_file`). Floating-point tensors (F32, F16, BF16) and integer
/// counters (I64, I32) are read as Float; anything else is an error naming the tensor.
public enum SafeTensors {
    public struct ReadError: Error, CustomStringConvertible {
        public let path: String, reason: String
        public init(path: String, reason: String) { self.path = path; self.reason = reason }
        public var description: String { "\(path): \(reason)" }
    }

    public static func read(_ url: URL) throws -> [String: Tensor] {
        func fail(_ reason: String) -> ReadError { ReadError(path: url.path, reason: reason) }
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw fail("cannot be read (\(error.localizedDescription))")
        }
        guard data.count >= 8 else { throw fail("too short for a safetensors header (\(data.count) bytes)") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else { throw fail("header length \(headerLength) exceeds the file") }
        let payloadStart = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<payloadStart)) as? [String: Any] else {
            throw fail("the header is not a JSON object")
        }
        var tensors: [String: Tensor] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw fail("tensor '\(name)': malformed header entry")
            }
            let count = shape.reduce(1, *)
            let (begin, end) = (payloadStart + offsets[0], payloadStart + offsets[1])
            guard let width = byteWidths[dtype] else { throw fail("tensor '\(name)': dtype \(dtype) is not supported") }
            guard offsets[0] >= 0, begin <= end, end <= data.count, end - begin == count * width else {
                throw fail("tensor '\(name)': offsets \(offsets) do not hold \(count) values of \(dtype)")
            }
            let values: [Float] = data.subdata(in: begin..<end).withUnsafeBytes { raw in
                (0..<count).map { i in decode(raw, at: i * width, dtype: dtype) }
            }
            tensors[name] = Tensor(shape: shape, data: values)
        }
        return tensors
    }

    static let byteWidths = ["F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4]

    static func decode(_ raw: UnsafeRawBufferPointer, at offset: Int, dtype: String) -> Float {
        switch dtype {
        case "F32": return Float(bitPattern: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        case "F16": return Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian))
        case "BF16": return Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self).littleEndian) << 16)
        case "I64": return Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        default: return Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        }
    }
}
