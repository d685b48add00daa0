/// Unsigned variable-length integers, as the index builder and the postings keep them in memory: seven bits a byte,
/// low bits first, the high bit set on every byte but the last. One codec for the topics' counts, the postings'
/// ranges and the example keys. (A compiled index file is read with `Postings.read`, which also checks bounds.)
enum VarInt {
    /// Appends `value` to `bytes`.
    @inline(__always)
    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The number at `index` of bytes this process wrote with `append`, and `index` moved past it. No bounds check:
    /// the bytes are never read from a file.
    @inline(__always)
    static func next(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> UInt32 {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let byte = bytes[index]
            index += 1
            value |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
}
