/// Values appended one after another into blocks of `blockSize` values each: an array that never copies what it
/// holds as it grows. A growing `Array` copies all its values into a block twice the size and holds both
/// meanwhile: of 10,000 topics, each builder's term keys passed 2 MiB near the end of the reading, and both
/// copied them at about the same time.
struct BlockArray<Element>: RandomAccessCollection {
    /// Values a block: 2 to this power (of 8-byte values, 512 KiB).
    static var blockShift: Int { 16 }
    static var blockSize: Int { 1 << blockShift }

    /// The blocks, each full but the last.
    private var blocks: [[Element]] = []
    private(set) var count = 0

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    @inline(__always)
    subscript(index: Int) -> Element {
        blocks[index >> BlockArray.blockShift][index & (BlockArray.blockSize - 1)]
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count & (BlockArray.blockSize - 1) == 0 { blocks.append([]) }
        blocks[blocks.count - 1].append(value)
        count += 1
    }
}

extension BlockArray: Equatable where Element: Equatable {
    static func == (a: BlockArray, b: BlockArray) -> Bool { a.elementsEqual(b) }
}
