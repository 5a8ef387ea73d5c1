import CTurboJPEG
import Foundation

/// An image as the datasets hand it out: channel-major RGB in [0, 1].
public struct DecodedImage: Equatable, Sendable {
    public var width: Int, height: Int
    /// `pixels[c * height * width + y * width + x]`.
    public var pixels: [Float]
}

/// JPEG files through libjpeg-turbo's TurboJPEG 2.x API (`tj3*` is not in Debian 12's 2.1.5).
public enum JPEGCodec {
    /// Reads and decodes a JPEG file. libjpeg's warnings (a truncated file, corrupt entropy data)
    /// are errors unless `acceptWarnings`: on a warning libjpeg fills the missing part with grey
    /// and carries on, which would silently train on a damaged image.
    public static func decode(contentsOf url: URL, acceptWarnings: Bool = false) throws -> DecodedImage {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw DataError(file: url.path, message: "image file not found")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataError(file: url.path, message: "cannot be read (\(error.localizedDescription))")
        }
        return try decode(data, source: url.path, acceptWarnings: acceptWarnings)
    }

    /// Decodes JPEG bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String, acceptWarnings: Bool = false) throws -> DecodedImage {
        guard !data.isEmpty else { throw DataError(file: source, message: "broken JPEG: the file is empty") }
        guard let handle = tjInitDecompress() else {
            throw DataError(file: source, message: "cannot start the JPEG decoder")
        }
        defer { tjDestroy(handle) }
        let bytes = [UInt8](data)
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
        if tjDecompressHeader3(handle, bytes, UInt(bytes.count), &width, &height, &subsampling, &colourspace) != 0 {
            throw DataError(file: source, message: "broken JPEG: \(errorText(handle))")
        }
        guard width > 0, height > 0, Int(width) * Int(height) <= 1 << 28 else {
            throw DataError(file: source, message: "broken JPEG: implausible size \(width)×\(height)")
        }
        let w = Int(width), h = Int(height)
        var interleaved = [UInt8](repeating: 0, count: w * h * 3)
        let status = tjDecompress2(handle, bytes, UInt(bytes.count), &interleaved, width, 0, height,
                                   Int32(TJPF_RGB.rawValue), 0)
        if status != 0 {
            let isWarning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
            if !(isWarning && acceptWarnings) {
                throw DataError(file: source, message: "broken JPEG: \(errorText(handle))")
            }
        }
        // Interleaved bytes to channel-major floats.
        let n = w * h
        var pixels = [Float](repeating: 0, count: 3 * n)
        let scale: Float = 1 / 255
        for i in 0..<n {
            pixels[i] = Float(interleaved[3 * i]) * scale
            pixels[n + i] = Float(interleaved[3 * i + 1]) * scale
            pixels[2 * n + i] = Float(interleaved[3 * i + 2]) * scale
        }
        return DecodedImage(width: w, height: h, pixels: pixels)
    }

    /// Encodes channel-major RGB in [0, 1]. Chroma is not subsampled (4:4:4), so colour edges keep
    /// full resolution: the boxes of small coloured objects should not blur in the file.
    public static func encode(pixels: [Float], width: Int, height: Int, quality: Int = 95) throws -> Data {
        precondition(pixels.count == 3 * width * height, "JPEGCodec.encode: \(pixels.count) values for 3×\(height)×\(width)")
        guard let handle = tjInitCompress() else {
            throw DataError(file: "<memory>", message: "cannot start the JPEG encoder")
        }
        defer { tjDestroy(handle) }
        let n = width * height
        var interleaved = [UInt8](repeating: 0, count: 3 * n)
        for i in 0..<n {
            for c in 0..<3 {
                interleaved[3 * i + c] = UInt8(min(max(pixels[c * n + i] * 255 + 0.5, 0), 255))
            }
        }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = tjCompress2(handle, interleaved, Int32(width), 0, Int32(height), Int32(TJPF_RGB.rawValue),
                                 &output, &size, Int32(TJSAMP_444.rawValue), Int32(quality), TJFLAG_ACCURATEDCT)
        defer { if let output { tjFree(output) } }
        guard status == 0, let output else {
            throw DataError(file: "<memory>", message: "JPEG encoding failed: \(errorText(handle))")
        }
        return Data(bytes: output, count: Int(size))
    }

    /// Encodes and writes a JPEG file.
    public static func write(pixels: [Float], width: Int, height: Int, quality: Int = 95, to url: URL) throws {
        let data = try encode(pixels: pixels, width: width, height: height, quality: quality)
        do {
            try data.write(to: url)
        } catch {
            throw DataError(file: url.path, message: "cannot be written (\(error.localizedDescription))")
        }
    }

    private static func errorText(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown error" }
        return String(cString: text)
    }
}
