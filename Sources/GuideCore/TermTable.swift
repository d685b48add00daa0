/// The matcher's terms by number, found by their strings: a stem ("taper"), or a pair of two joined by a space
/// ("how long"). A pair is kept as its two stems' numbers, not as its bytes: nine in ten terms of a big bundle are
/// pairs, and a table of their strings (bytes, offsets and hash slots: 26 bytes a pair) was the biggest table of
/// the index, where a pair costs four bytes here.
///
/// The stems are a `StringTable`. A stem's term is `singles[stem]` (-1: the stem alone is no term; a stem may be
/// only in pairs). The pairs are grouped by their first stem, each group sorted by the second stem: the pairs
/// whose first stem is `s` are `pairSeconds[pairStarts[s] ..< pairStarts[s + 1]]`, and the pair at position `p` is
/// term `singleCount + p`. A pair is found by the hash of its first stem and a binary search of that stem's few
/// pairs. A stem never holds a space (a word never does), so a string finds the term of the same bytes, or none,
/// as a table of the terms' strings did.
struct TermTable: Sendable {
    let stems: StringTable
    let singles: Flat<Int32>
    let pairStarts: Flat<Int32>
    let pairSeconds: Flat<Int32>
    /// How many terms are stems: the pairs are numbered after them.
    let singleCount: Int

    /// Every term: the stems' and the pairs'.
    var count: Int { singleCount + pairSeconds.count }

    /// The number of the term `term`, if it is one.
    func index(of term: String) -> Int? {
        var term = term
        return term.withUTF8 { index(ofUTF8: $0) }
    }

    func index(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else {
            guard let stem = stems.index(ofUTF8: bytes) else { return nil }
            let number = Int(singles[stem])
            return number >= 0 && number < count ? number : nil
        }
        guard let first = stems.index(ofUTF8: UnsafeBufferPointer(rebasing: bytes[..<space])),
              let second = stems.index(ofUTF8: UnsafeBufferPointer(rebasing: bytes[(space + 1)...]))
        else { return nil }
        // Checked here, not when an index file is opened: a damaged file finds no term, never traps.
        var low = Int(pairStarts[first])
        var high = Int(pairStarts[first + 1])
        guard low >= 0, low <= high, high <= pairSeconds.count else { return nil }
        let target = Int32(second)
        while low < high {
            let middle = (low + high) / 2
            let value = pairSeconds[middle]
            if value == target { return singleCount + middle }
            if value < target { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    init(stems: StringTable, singles: Flat<Int32>, pairStarts: Flat<Int32>, pairSeconds: Flat<Int32>, singleCount: Int) {
        self.stems = stems
        self.singles = singles
        self.pairStarts = pairStarts
        self.pairSeconds = pairSeconds
        self.singleCount = singleCount
    }

    func write(to writer: inout ImageWriter) {
        writer.add([Int64(singleCount)])
        writer.add(stems)
        writer.add(singles)
        writer.add(pairStarts)
        writer.add(pairSeconds)
    }

    /// The table read back from an image; nil when its sizes do not fit together (the numbers in it are checked
    /// where they are read).
    init?(reader: inout ImageReader) {
        guard let scalars = reader.flat(Int64.self), scalars.count == 1, let stems = reader.table(),
              let singles = reader.flat(Int32.self), singles.count == stems.count,
              let pairStarts = reader.flat(Int32.self), pairStarts.count == stems.count + 1,
              let pairSeconds = reader.flat(Int32.self), scalars[0] >= 0, scalars[0] <= Int64(Int32.max)
        else { return nil }
        self.init(stems: stems, singles: singles, pairStarts: pairStarts, pairSeconds: pairSeconds,
                  singleCount: Int(scalars[0]))
    }
}

extension TermNumbering {
    /// The term table of these terms, whose stems are `stems` (this numbering's stem numbers), and each term's
    /// number there, by its number here: the stems' terms first, in the order they were numbered, then the pairs,
    /// by first stem and then second. The postings are made with the new numbers.
    func table(stems: StringList) -> (table: TermTable, renumbered: [Int32]) {
        let stemCount = stems.count
        var renumbered = [Int32](repeating: 0, count: keys.count)
        var singles = [Int32](repeating: -1, count: stemCount)
        var pairStarts = [Int32](repeating: 0, count: stemCount + 1)
        var singleCount: Int32 = 0
        for number in keys.indices {
            switch key(number) {
            case .single(let stem):
                singles[Int(stem)] = singleCount
                renumbered[number] = singleCount
                singleCount += 1
            case .pair(let first, _):
                pairStarts[Int(first) + 1] += 1
            }
        }
        for stem in 0..<stemCount { pairStarts[stem + 1] += pairStarts[stem] }
        // Each pair as its second stem (high 32 bits) and its number here, in its first stem's group; each group
        // then sorted by second stem.
        let pairCount = keys.count - Int(singleCount)
        var grouped = [UInt64](repeating: 0, count: pairCount)
        var next = Array(pairStarts.dropLast())
        for number in keys.indices {
            if case .pair(let first, let second) = key(number) {
                grouped[Int(next[Int(first)])] = UInt64(UInt32(second)) << 32 | UInt64(number)
                next[Int(first)] += 1
            }
        }
        next = []
        grouped.withUnsafeMutableBufferPointer { grouped in
            for stem in 0..<stemCount where pairStarts[stem + 1] - pairStarts[stem] > 1 {
                Matcher.IndexBuilder.TermCounts.sortNumbers(
                    UnsafeMutableBufferPointer(rebasing: grouped[Int(pairStarts[stem])..<Int(pairStarts[stem + 1])]))
            }
        }
        let seconds = Flat<Int32>(count: pairCount) { seconds in
            for position in 0..<pairCount {
                let entry = grouped[position]
                seconds[position] = Int32(truncatingIfNeeded: entry >> 32)
                renumbered[Int(UInt32(truncatingIfNeeded: entry))] = singleCount + Int32(position)
            }
        }
        let table = TermTable(stems: StringTable(list: stems), singles: Flat(singles), pairStarts: Flat(pairStarts),
                              pairSeconds: seconds, singleCount: Int(singleCount))
        return (table, renumbered)
    }
}
