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
            guard let width = byteWidths[dtype] else { throw fail("tensor '\(name)': dtype \(dtype) is not supported") }
            // Sizes from the file are checked before any arithmetic can overflow or go negative.
            let limit = data.count
            guard shape.allSatisfy({ $0 >= 0 && $0 <= limit }), offsets.allSatisfy({ $0 >= 0 && $0 <= limit }) else {
                throw fail("tensor '\(name)': shape \(shape) or offsets \(offsets) out of range")
            }
            let (count, overflow) = shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o || p > limit)
            }
            let (begin, end) = (payloadStart + offsets[0], payloadStart + offsets[1])
            guard !overflow, begin <= end, end <= data.count, end - begin == count * width else {
                throw fail("tensor '\(name)': offsets \(offsets) do not hold \(shape) values of \(dtype)")
            }
            let decode = decoder(dtype)
            let values: [Float] = data.subdata(in: begin..<end).withUnsafeBytes { raw in
                (0..<count).map { i in decode(raw, i * width) }
            }
            tensors[name] = Tensor(shape: shape, data: values)
        }
        return tensors
    }

    static let byteWidths = ["F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4]

    /// One value's decoder per dtype, chosen once per tensor.
    static func decoder(_ dtype: String) -> (UnsafeRawBufferPointer, Int) -> Float {
        switch dtype {
        case "F32": return { Float(bitPattern: $0.loadUnaligned(fromByteOffset: $1, as: UInt32.self).littleEndian) }
        case "F16": return { halfToFloat($0.loadUnaligned(fromByteOffset: $1, as: UInt16.self).littleEndian) }
        case "BF16": return { Float(bitPattern: UInt32($0.loadUnaligned(fromByteOffset: $1, as: UInt16.self).littleEndian) << 16) }
        case "I64": return { Float(Int64(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int64.self))) }
        default: return { Float(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int32.self))) }
        }
    }

    /// IEEE binary16 → Float by its bits (portable where `Float16` is unavailable).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F), fraction = Float(h & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)   // subnormal
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
