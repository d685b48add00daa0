#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes that outlive every view of them: memory of their own, or a compiled index file mapped into memory. The
/// views (`Flat`) keep the owner alive; `release` runs when the last one is gone.
public final class ImageBytes: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let count: Int
    private let release: (UnsafeRawPointer, Int) -> Void

    /// Bytes owned elsewhere (a mapped file): `release` unmaps them.
    public init(base: UnsafeRawPointer, count: Int, release: @escaping (UnsafeRawPointer, Int) -> Void) {
        self.base = base
        self.count = count
        self.release = release
    }

    /// A copy of `bytes` in memory of its own, aligned for any element.
    public convenience init(copying bytes: UnsafeRawBufferPointer) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        if let source = bytes.baseAddress { memory.copyMemory(from: source, byteCount: bytes.count) }
        self.init(base: UnsafeRawPointer(memory), count: bytes.count, release: { pointer, _ in
            UnsafeMutableRawPointer(mutating: pointer).deallocate()
        })
    }

    deinit { release(base, count) }

    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}

/// A read-only array of plain values in `ImageBytes`: how the matcher's tables are held, whether built in memory
/// or read from a compiled index file, so both answer through the same code.
struct Flat<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    private let base: UnsafePointer<Element>
    let count: Int
    /// What keeps `base` alive.
    let owner: ImageBytes

    /// A copy of `array`.
    init(_ array: [Element]) {
        let owner = array.withUnsafeBytes { ImageBytes(copying: $0) }
        self.init(owner: owner, offset: 0, count: array.count)
    }

    /// `count` elements written by `fill` into memory of their own (every element must be set).
    init(count: Int, fill: (UnsafeMutableBufferPointer<Element>) -> Void) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(count * MemoryLayout<Element>.stride, 1),
                                                      alignment: 16)
        fill(UnsafeMutableBufferPointer(start: memory.bindMemory(to: Element.self, capacity: count), count: count))
        let owner = ImageBytes(base: UnsafeRawPointer(memory), count: count * MemoryLayout<Element>.stride,
                               release: { pointer, _ in UnsafeMutableRawPointer(mutating: pointer).deallocate() })
        self.init(owner: owner, offset: 0, count: count)
    }

    /// `count` elements at byte `offset` of `owner` (aligned for `Element`, and in bounds: `ImageReader` checks).
    init(owner: ImageBytes, offset: Int, count: Int) {
        self.owner = owner
        self.count = count
        base = (owner.base + offset).assumingMemoryBound(to: Element.self)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "index out of range")
        return base[index]
    }

    /// Elements `range` as a buffer (no copy), valid while this `Flat` lives.
    func buffer(_ range: Range<Int>) -> UnsafeBufferPointer<Element> {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range out of bounds")
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Every element as a buffer (no copy), valid only inside `body`.
    @inline(__always)
    func withBuffer<Result>(_ body: (UnsafeBufferPointer<Element>) -> Result) -> Result {
        withExtendedLifetime(owner) { body(UnsafeBufferPointer(start: base, count: count)) }
    }

    /// The bytes of every element, for writing an image.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffer(0..<count)) }
}

/// Strings in one block of UTF-8 with their start offsets: string `i` is `utf8[offsets[i] ..< offsets[i + 1]]`.
struct StringList: Sendable {
    let utf8: Flat<UInt8>
    let offsets: Flat<UInt32>

    init<Strings: Sequence<String>>(_ strings: Strings) {
        var bytes: [UInt8] = []
        var offsets: [UInt32] = [0]
        for string in strings {
            bytes += string.utf8
            offsets.append(UInt32(bytes.count))
        }
        self.init(utf8: Flat(bytes), offsets: Flat(offsets))
    }

    init(utf8: Flat<UInt8>, offsets: Flat<UInt32>) {
        self.utf8 = utf8
        self.offsets = offsets
    }

    var count: Int { offsets.count - 1 }

    /// String `index`'s UTF-8 bytes (no copy); empty when the offsets are out of order (a damaged file: they are
    /// checked here, at use, so that opening a big index does not read it all).
    func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = Int(offsets[index])
        let end = Int(offsets[index + 1])
        guard start <= end, end <= utf8.count else { return utf8.buffer(0..<0) }
        return utf8.buffer(start..<end)
    }

    subscript(index: Int) -> String { String(decoding: bytes(index), as: UTF8.self) }

    /// Every string, in order.
    var strings: [String] { (0..<count).map { self[$0] } }

}

/// A `StringList` with a hash table: the position of a string in one hash and a comparison or two. The hash
/// (FNV-1a of the UTF-8) is the same in every process, so the table can be written to a file and read back.
struct StringTable: Sendable {
    let list: StringList
    /// Open addressing with linear probing; a slot holds a position in `list`, or -1.
    let slots: Flat<Int32>

    /// The strings in this order (each once: a repeated string is found at its first position).
    init<Strings: Sequence<String>>(_ strings: Strings) {
        self.init(list: StringList(strings))
    }

    init(list: StringList) {
        var capacity = 8
        while capacity < 2 * list.count { capacity *= 2 }
        // Made in the table's own memory: a big table is never held twice.
        let slots = Flat<Int32>(count: capacity) { slots in
            slots.initialize(repeating: -1)
            let mask = capacity - 1
            outer: for index in 0..<list.count {
                let bytes = list.bytes(index)
                var slot = Int(StringTable.hash(bytes) & UInt64(mask))
                while slots[slot] >= 0 {
                    if StringTable.equal(list.bytes(Int(slots[slot])), bytes) { continue outer }
                    slot = (slot + 1) & mask
                }
                slots[slot] = Int32(index)
            }
        }
        self.init(list: list, slots: slots)
    }

    init(list: StringList, slots: Flat<Int32>) {
        self.list = list
        self.slots = slots
    }

    var count: Int { list.count }
    subscript(index: Int) -> String { list[index] }

    /// The position of `string`, if the table holds it.
    func index(of string: String) -> Int? {
        var string = string
        return string.withUTF8 { index(ofUTF8: $0) }
    }

    func contains(_ string: String) -> Bool { index(of: string) != nil }

    func index(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let mask = slots.count - 1
        var slot = Int(StringTable.hash(bytes) & UInt64(mask))
        // The table is never full (at most half its slots are used), so an empty slot ends every search; the
        // count bounds a damaged table's.
        for _ in 0..<slots.count {
            let entry = slots[slot]
            if entry < 0 || Int(entry) >= list.count { return nil }
            if StringTable.equal(list.bytes(Int(entry)), bytes) { return Int(entry) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Whether the slots fit the list: a power of two of them, more than the strings (a slot's entry is checked when
    /// it is read).
    var isWellFormed: Bool {
        slots.count >= 8 && slots.count & (slots.count - 1) == 0 && slots.count > list.count
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }
        return memcmp(x, y, a.count) == 0
    }
}

/// Strings numbered in the order they are first added, in one growing block of UTF-8 with a hash table:
/// a `StringTable` that grows. The matcher's builder keys its words and terms by it, so a word of a topic costs a
/// hash of its bytes and a comparison: no `String` is made, hashed (SipHash) or retained for each occurrence, and
/// the strings end as one `StringList` for the index, not as thousands of small objects.
struct StringNumbering {
    private(set) var utf8: [UInt8] = []
    /// String `i` is `utf8[offsets[i] ..< offsets[i + 1]]`.
    private(set) var offsets: [UInt32] = [0]
    /// Open addressing with linear probing, at most half full (three quarters when dense). A slot holds a
    /// string's hash (its high 32 bits) and its number plus one (the low 32; 0 is an empty slot): a probe that
    /// meets another string is told apart by the slot alone, without reading that string.
    private var slots = [UInt64](repeating: 0, count: 64)
    /// At most three quarters of the slots used, not half: half the memory for the slots of a big table, for a
    /// probe or two more (most in the same cache line).
    private var isDense = false

    init() {}

    /// A numbering whose slots are at most three quarters used when `dense`, else half.
    init(dense: Bool) {
        isDense = dense
    }

    var count: Int { offsets.count - 1 }

    /// Whether `count` strings need more than `slots` slots.
    private func needsMore(_ count: Int, than slots: Int) -> Bool {
        isDense ? 4 * count > 3 * slots : 2 * count > slots
    }

    /// The number of `bytes`, if they were added.
    func number(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(bytes, hash: StringNumbering.hash(bytes)).number
    }

    /// The number of `string`, if it was added.
    func number(ofString string: String) -> Int32? {
        var string = string
        return string.withUTF8 { number(of: $0) }
    }

    /// The number of `bytes`, added as the next number when they are new.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) -> (number: Int32, isNew: Bool) {
        let hash = StringNumbering.hash(bytes)
        let (slot, found) = find(bytes, hash: hash)
        if let found { return (found, false) }
        let number = Int32(count)
        slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(number + 1)
        utf8.append(contentsOf: bytes)
        offsets.append(UInt32(utf8.count))
        if needsMore(count, than: slots.count) { grow() }
        return (number, true)
    }

    /// Room for `count` more strings of `bytes` bytes in all, made at once: what they are added to then grows no
    /// more while they are added.
    mutating func reserve(_ count: Int, bytes: Int) {
        utf8.reserveCapacity(utf8.count + bytes)
        offsets.reserveCapacity(offsets.count + count)
        var capacity = slots.count
        while needsMore(self.count + count, than: capacity) { capacity *= 2 }
        if capacity > slots.count { rehash(capacity) }
    }

    /// Lets go of the hash table: the strings are still read by number, but none can be looked up or added.
    mutating func dropSlots() {
        slots = []
    }

    /// `add` for a string.
    mutating func add(_ string: String) -> (number: Int32, isNew: Bool) {
        var string = string
        return string.withUTF8 { add($0) }
    }

    /// String `number`'s bytes, valid only inside `body`.
    func withBytes<Result>(_ number: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let (start, end) = (Int(offsets[number]), Int(offsets[number + 1]))
        return utf8.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    subscript(number: Int) -> String { withBytes(number) { String(decoding: $0, as: UTF8.self) } }

    /// Whether string `number` equals `bytes` as a `String` does (the same bytes, or beyond ASCII, the same
    /// characters).
    func holds(_ number: Int, _ bytes: [UInt8]) -> Bool {
        let (start, end) = (Int(offsets[number]), Int(offsets[number + 1]))
        if end - start == bytes.count && utf8[start..<end].elementsEqual(bytes) { return true }
        guard utf8[start..<end].contains(where: { $0 >= 0x80 }) || bytes.contains(where: { $0 >= 0x80 }) else { return false }
        return self[number] == String(decoding: bytes, as: UTF8.self)
    }

    /// The strings in number order.
    var list: StringList { StringList(utf8: Flat(utf8), offsets: Flat(offsets)) }

    /// The strings in number order, this numbering emptied as they are copied (its hash table first, then each
    /// table once copied): the two are never held whole at once.
    mutating func takeList() -> StringList {
        slots = []
        let utf8 = Flat(self.utf8)
        self.utf8 = []
        let offsets = Flat(self.offsets)
        self = StringNumbering()
        return StringList(utf8: utf8, offsets: offsets)
    }

    /// The slot of `bytes` and their number, or the empty slot where they would go.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (slot: Int, number: Int32?) {
        precondition(!slots.isEmpty, "a numbering whose slots were dropped is only read by number")
        let high = hash & 0xFFFF_FFFF_0000_0000
        return slots.withUnsafeBufferPointer { slots in
            offsets.withUnsafeBufferPointer { offsets in
                utf8.withUnsafeBufferPointer { stored in
                    let mask = slots.count - 1
                    var slot = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let entry = slots[slot]
                        if entry == 0 { return (slot, nil) }
                        if entry & 0xFFFF_FFFF_0000_0000 == high {
                            let number = Int(entry & 0xFFFF_FFFF) - 1
                            let start = Int(offsets[number])
                            if Int(offsets[number + 1]) - start == bytes.count
                                && (bytes.isEmpty || StringNumbering.equal(stored.baseAddress! + start, bytes.baseAddress!, bytes.count)) {
                                return (slot, Int32(number))
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// A hash of `bytes`, eight at a time: a word of a topic is hashed each time it is read, and FNV-1a's byte
    /// at a time cost more than the lookup. Only this numbering's slots use it (never written to a file, where
    /// `StringTable.hash` is used).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let multiplier: UInt64 = 0xFF51_AFD7_ED55_8CCD
        var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            var index = 0
            while index + 8 <= bytes.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* multiplier
                hash ^= hash >> 29
                index += 8
            }
            if index < bytes.count {
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while index < bytes.count {
                    tail |= UInt64(base[index]) << shift
                    shift += 8
                    index += 1
                }
                hash = (hash ^ tail) &* multiplier
            }
        }
        hash ^= hash >> 33
        hash = hash &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ hash >> 33
    }

    /// Whether `count` bytes at `a` and `b` are the same, compared here eight at a time: most are a short word,
    /// for which a call to `memcmp` costs more than the comparison.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let (x, y) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        var index = 0
        while index + 8 <= count {
            if x.loadUnaligned(fromByteOffset: index, as: UInt64.self) != y.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                return false
            }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    /// Twice the slots. The low bits of the hash place a string, and the slots keep only the high 32 bits, so a
    /// string is placed again by hashing its bytes (once for each time the table doubles).
    private mutating func grow() { rehash(slots.count * 2) }

    /// `capacity` slots (a power of two), every string placed again.
    private mutating func rehash(_ capacity: Int) {
        self.slots = []
        var slots = [UInt64](repeating: 0, count: capacity)
        let mask = slots.count - 1
        for number in 0..<count {
            let hash = withBytes(number) { StringNumbering.hash($0) }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(number + 1)
        }
        self.slots = slots
    }
}

/// Writes tables one after another as one block of bytes: a header (magic, format version, key, section count), a
/// directory of sections (offset and size in bytes), then each section aligned to eight bytes. Little-endian, as
/// the machine writes it; `ImageReader` reads them back in the same order. The tables are not copied: `write`
/// hands each one to its sink as it is.
public struct ImageWriter {
    static let magic: UInt64 = 0x3158_4544_4E49_474B  // "KGINDEX1"
    /// `version` names the layout of the sections (a reader of another version refuses the image), and `key`
    /// what it was made from (a reader expecting another key refuses it).
    let version: UInt64
    let key: UInt64
    private var sections: [(owner: ImageBytes, bytes: UnsafeRawBufferPointer)] = []

    init(version: UInt64, key: UInt64) {
        self.version = version
        self.key = key
    }

    mutating func add<Element: BitwiseCopyable>(_ values: Flat<Element>) {
        sections.append((values.owner, values.bytes))
    }

    mutating func add<Element: BitwiseCopyable>(_ values: [Element]) {
        add(Flat(values))
    }

    mutating func add(_ list: StringList) {
        add(list.utf8)
        add(list.offsets)
    }

    mutating func add(_ table: StringTable) {
        add(table.list)
        add(table.slots)
    }

    /// Hands the image to `sink` piece by piece, in order; false as soon as `sink` returns false.
    public func write(to sink: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        var header: [UInt64] = [ImageWriter.magic, version, key, UInt64(sections.count)]
        var offset = (header.count + 2 * sections.count) * 8
        for section in sections {
            header += [UInt64(offset), UInt64(section.bytes.count)]
            offset += (section.bytes.count + 7) / 8 * 8
        }
        guard header.withUnsafeBytes(sink) else { return false }
        let zeros = [UInt8](repeating: 0, count: 8)
        for section in sections {
            guard withExtendedLifetime(section.owner, { sink(section.bytes) }) else { return false }
            let padding = (8 - section.bytes.count % 8) % 8
            guard zeros.withUnsafeBytes({ sink(UnsafeRawBufferPointer(rebasing: $0.prefix(padding))) }) else { return false }
        }
        return true
    }

    /// The whole image in one array.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        _ = write { bytes += $0; return true }
        return bytes
    }
}

/// Reads an image made by `ImageWriter`, section by section, checking that each lies inside the bytes and is
/// aligned for its elements. Any mismatch makes the reader fail (nil), never trap: a file on disk may be
/// damaged. What the sections hold (offsets, positions, numbers that index another table) is checked where it is
/// used, so that opening an index reads only its header and what its reader asks for whole (the topics' ids and
/// titles): the pages a question never needs are never read. (A mapped file cut short by someone else while it
/// is mapped ends the process with SIGBUS, as any mapped file would; the guide itself only ever renames a whole
/// new file over an index.)
struct ImageReader {
    private let owner: ImageBytes
    private var directory: [(offset: Int, count: Int)] = []
    private var next = 0

    init?(_ owner: ImageBytes, version: UInt64, key: UInt64) {
        self.owner = owner
        let bytes = owner.buffer
        func word(_ index: Int) -> UInt64? {
            guard (index + 1) * 8 <= bytes.count else { return nil }
            return bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
        }
        guard Int(bitPattern: owner.base) % 8 == 0, word(0) == ImageWriter.magic, word(1) == version,
              word(2) == key, let count = word(3), count < 1 << 16 else { return nil }
        for index in 0..<Int(count) {
            guard let offset = word(4 + 2 * index), let size = word(5 + 2 * index), offset % 8 == 0,
                  offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset else { return nil }
            directory.append((Int(offset), Int(size)))
        }
    }

    /// The next section as elements; nil when it is missing or does not hold a whole number of them.
    mutating func flat<Element: BitwiseCopyable>(_: Element.Type = Element.self) -> Flat<Element>? {
        guard next < directory.count else { return nil }
        let (offset, size) = directory[next]
        next += 1
        guard size % MemoryLayout<Element>.stride == 0, offset % MemoryLayout<Element>.alignment == 0 else { return nil }
        return Flat(owner: owner, offset: offset, count: size / MemoryLayout<Element>.stride)
    }

    mutating func list() -> StringList? {
        guard let utf8 = flat(UInt8.self), let offsets = flat(UInt32.self), offsets.count >= 1 else { return nil }
        return StringList(utf8: utf8, offsets: offsets)
    }

    mutating func table() -> StringTable? {
        guard let list = list(), let slots = flat(Int32.self) else { return nil }
        let table = StringTable(list: list, slots: slots)
        return table.isWellFormed ? table : nil
    }

    /// Whether every section was read.
    var isAtEnd: Bool { next == directory.count }
}
