/// The matcher's builder's terms, numbered in the order they are first met, each keyed by stem numbers (of the
/// builder's `stems`) rather than by its bytes: a word's stem by its number, a pair ("how long") by its two. Nine
/// in ten terms of a big bundle are pairs, and a pair's key is one 64-bit number here where its string took its
/// bytes, an offset and a hash slot of eight; the strings are made once, for the term table (`list(stems:)`).
struct TermNumbering {
    /// A term's key: one stem, or two.
    enum Key: Equatable {
        case single(Int32)
        case pair(Int32, Int32)
    }

    /// Each term's key, by number: a pair's first stem number in the high 32 bits and its second in the low; a
    /// single stem's number with all high bits set (no stem number is that high). In blocks: a big bundle's keys
    /// are never copied as they grow.
    private(set) var keys = BlockArray<UInt64>()
    /// Each stem's term number plus one (0: no term yet), by stem number.
    private var singles: [UInt32] = []
    /// The pairs' open addressing table (linear probing, at most three quarters full): a pair's term number plus
    /// one, or 0 for an empty slot.
    private var slots = [UInt32](repeating: 0, count: 64)
    private var pairCount = 0

    init() {}

    var count: Int { keys.count }

    private static let singleMark: UInt64 = 0xFFFF_FFFF_0000_0000

    /// Term `number`'s key.
    func key(_ number: Int) -> Key {
        let key = keys[number]
        return key & TermNumbering.singleMark == TermNumbering.singleMark
            ? .single(Int32(truncatingIfNeeded: key)) : .pair(Int32(key >> 32), Int32(truncatingIfNeeded: key))
    }

    /// The term number of stem `stem`, if it is a term.
    func number(ofStem stem: Int32) -> Int32? {
        Int(stem) < singles.count && singles[Int(stem)] > 0 ? Int32(singles[Int(stem)] - 1) : nil
    }

    /// The term number of stem `stem`, the next number when it is new.
    @inline(__always)
    mutating func single(_ stem: Int32) -> Int32 {
        let index = Int(stem)
        if index >= singles.count {
            singles.append(contentsOf: repeatElement(0, count: Swift.max(index + 1 - singles.count, singles.count)))
        }
        let known = singles[index]
        if known > 0 { return Int32(known - 1) }
        let number = Int32(keys.count)
        keys.append(TermNumbering.singleMark | UInt64(UInt32(stem)))
        singles[index] = UInt32(number + 1)
        return number
    }

    /// The term number of the pair of stems `first` and `second`, the next number when it is new.
    @inline(__always)
    mutating func pair(_ first: Int32, _ second: Int32) -> Int32 {
        let key = UInt64(UInt32(first)) << 32 | UInt64(UInt32(second))
        let (slot, known) = find(key)
        if let known { return known }
        let number = Int32(keys.count)
        keys.append(key)
        slots[slot] = UInt32(number + 1)
        pairCount += 1
        if 4 * pairCount > 3 * slots.count { rehash(2 * slots.count) }
        return number
    }

    /// The slot of the pair whose key is `key` and its number, or the empty slot where it would go.
    @inline(__always)
    private func find(_ key: UInt64) -> (slot: Int, number: Int32?) {
        let mask = slots.count - 1
        var slot = TermNumbering.hash(key) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return (slot, nil) }
            if keys[Int(entry - 1)] == key { return (slot, Int32(entry - 1)) }
            slot = (slot + 1) & mask
        }
    }

    /// Adds the terms of `other` (a numbering of other stems: its stem `s` is stem `stems[s]` here) as if they
    /// were met here after these, in its order; returns each one's number here, by its number there. The pairs'
    /// table is looked up, never grown, and let go of at the end: no two terms of `other` are the same, so a pair
    /// new here is never looked up again, and no term is added after (a merged builder reads no topic). A table
    /// for the pairs of both was the biggest thing the merge made (4 MiB of 10,000 topics).
    mutating func merge(_ other: TermNumbering, stems: [Int32]) -> [Int32] {
        var numbers = [Int32](repeating: 0, count: other.count)
        for number in other.keys.indices {
            switch other.key(number) {
            case .single(let stem): numbers[number] = single(stems[Int(stem)])
            case .pair(let first, let second):
                let key = UInt64(UInt32(stems[Int(first)])) << 32 | UInt64(UInt32(stems[Int(second)]))
                if let known = find(key).number {
                    numbers[number] = known
                } else {
                    numbers[number] = Int32(keys.count)
                    keys.append(key)
                }
            }
        }
        slots = []
        return numbers
    }

    /// Lets go of the tables that look terms up: the keys are still read by number, but no term can be added.
    mutating func dropSlots() {
        slots = []
        singles = []
    }

    private static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    private mutating func rehash(_ capacity: Int) {
        slots = []
        var table = [UInt32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (index, key) in keys.enumerated() where key & TermNumbering.singleMark != TermNumbering.singleMark {
            var slot = TermNumbering.hash(key) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = UInt32(index + 1)
        }
        slots = table
    }

    /// Every term as a string, in number order (a stem's string; a pair's two and a space between), made
    /// straight into the list's memory from the stems' bytes.
    func list(stems: StringNumbering) -> StringList {
        stems.utf8.withUnsafeBufferPointer { utf8 in
            let starts = stems.offsets
            func bytes(_ stem: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: utf8[Int(starts[stem])..<Int(starts[stem + 1])])
            }
            // Made in the list's own memory, not copied from an array.
            let offsets = Flat<UInt32>(count: keys.count + 1) { offsets in
                offsets[0] = 0
                for number in keys.indices {
                    let size: UInt32
                    switch key(number) {
                    case .single(let stem): size = starts[Int(stem) + 1] - starts[Int(stem)]
                    case .pair(let first, let second):
                        size = starts[Int(first) + 1] - starts[Int(first)] + 1 + starts[Int(second) + 1]
                            - starts[Int(second)]
                    }
                    offsets[number + 1] = offsets[number] + size
                }
            }
            let text = Flat<UInt8>(count: Int(offsets[keys.count])) { target in
                var position = 0
                func put(_ source: UnsafeBufferPointer<UInt8>) {
                    for byte in source {
                        target[position] = byte
                        position += 1
                    }
                }
                for number in keys.indices {
                    switch key(number) {
                    case .single(let stem): put(bytes(Int(stem)))
                    case .pair(let first, let second):
                        put(bytes(Int(first)))
                        target[position] = UInt8(ascii: " ")
                        position += 1
                        put(bytes(Int(second)))
                    }
                }
            }
            return StringList(utf8: text, offsets: offsets)
        }
    }
}
