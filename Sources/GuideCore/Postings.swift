/// The matcher's inverted index: for each term, the topics that use it and its weighted count there (in
/// `Matcher.weightUnit`s), in topic order, in one block of bytes. Term `t`'s list is
/// `bytes[starts[t] ..< starts[t + 1]]`: how many topics use the term, then for each topic the gap from the
/// previous topic's number (from 0 for the first) and the count, each a variable-length integer (seven bits a
/// byte, low bits first, the high bit set on all bytes but the last). Most gaps and counts take one byte: about
/// two bytes a posting where a topic number and a count would take eight. A term's IDF is computed from its
/// number of topics, so it is not stored.
struct Postings: Sendable {
    let bytes: Flat<UInt8>
    let starts: Flat<Int32>

    init(bytes: Flat<UInt8>, starts: Flat<Int32>) {
        self.bytes = bytes
        self.starts = starts
    }

    /// The postings of `counts` (each topic's terms and their counts, in topic order; each block of lists is let
    /// go of once placed) for `terms` terms (each term's number of topics is counted from them). With
    /// `renumbered`, a term of the counts is term `renumbered[term]` of the postings (`TermTable`'s numbers).
    init(counts: inout Matcher.IndexBuilder.TermCounts, terms: Int, renumbered: [Int32]? = nil) {
        var later: [(counts: Matcher.IndexBuilder.TermCounts, terms: [Int32])] = []
        self.init(counts: &counts, later: &later, terms: terms, renumbered: renumbered)
    }

    /// The postings of `counts` and then of `later` (the counts of builders merged into the one that made
    /// `counts`, their topics after its, each with each of its terms' number in that builder), all let go of as
    /// they are placed.
    init(counts: inout Matcher.IndexBuilder.TermCounts, later: inout [(counts: Matcher.IndexBuilder.TermCounts, terms: [Int32])],
         terms: Int, renumbered: [Int32]? = nil) {
        precondition(renumbered == nil || renumbered!.count == terms, "a number for each term")
        let own = renumbered ?? (0..<Int32(terms)).map { $0 }
        // Each part's terms by their numbers here (the later parts' tables changed in place).
        var parts = [counts]
        var numbers = [own]
        for part in later.indices {
            later[part].terms.withUnsafeMutableBufferPointer { terms in
                for index in terms.indices { terms[index] = own[Int(terms[index])] }
            }
            parts.append(later[part].counts)
            numbers.append(later[part].terms)
        }
        (counts, later) = (Matcher.IndexBuilder.TermCounts(), [])
        self.init(parts: &parts, numbers: numbers, terms: terms)
    }

    /// The postings of `parts` (their topics one after another), a term of part `p` being term `numbers[p][term]`.
    /// `parts` is emptied: its counts are put into ranges of terms first (`rangeSize`), so that the postings of
    /// one range are touched at a time, never all of them while all the counts are held.
    private init(parts: inout [Matcher.IndexBuilder.TermCounts], numbers: [[Int32]], terms: Int) {
        // Each term's size in bytes (each posting, then its number of topics), then its start, then, while the
        // postings are placed, its next free byte: one table, which ends as the starts.
        let starts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: terms + 1)
        starts.initialize(repeating: 0)
        var previous = [Int32](repeating: 0, count: terms)
        var frequencies = [Int32](repeating: 0, count: terms)
        var firstTopic = 0
        for part in parts.indices {
            numbers[part].withUnsafeBufferPointer { number in
                parts[part].forEachList { document, list in
                    let topic = Int32(firstTopic + document)
                    Matcher.IndexBuilder.TermCounts.forEach(list) { term, units in
                        let index = Int(number[Int(term)])
                        starts[index] += Int32(Postings.size(UInt32(topic - previous[index])) + Postings.size(units))
                        previous[index] = topic
                        frequencies[index] += 1
                    }
                }
            }
            firstTopic += parts[part].count
        }
        var total = 0
        for term in 0..<terms {
            let size = Int(starts[term]) + Postings.size(UInt32(frequencies[term]))
            starts[term] = Int32(total)
            total += size
            precondition(total <= Int(Int32.max), "more postings than an index holds")
        }
        starts[terms] = Int32(total)
        // Until a term's first posting is placed, its entry of `previous` holds its number of topics (as -1 - n),
        // which is written then, before the posting: the bytes are touched as the counts are let go of, not all
        // at once, and the numbers of topics need no table of their own.
        for term in 0..<terms { previous[term] = -1 - frequencies[term] }
        frequencies = []
        // The terms in ranges of about `rangeSize` bytes of postings each: `rangeStarts[r]` is range r's first term.
        var rangeStarts = [0]
        var limit = Postings.rangeSize
        for term in 0..<terms where Int(starts[term]) >= limit {
            rangeStarts.append(term)
            limit = Int(starts[term]) + Postings.rangeSize
        }
        rangeStarts.append(terms)
        // Each topic's counts, renumbered, go to the range of their terms (a list a topic for each range it has
        // terms in, and the topic's number beside it), each block of the topics' counts let go of once read: about
        // the same bytes, held one way or the other, never both.
        let rangeCount = rangeStarts.count - 1
        var ranges = [Matcher.IndexBuilder.TermCounts](repeating: Matcher.IndexBuilder.TermCounts(), count: rangeCount)
        var rangeTopics = [[Int32]](repeating: [], count: rangeCount)
        // A topic's counts of each range, in scratch: each term as its offset from the range's first term.
        var scratch = [[UInt8]](repeating: [], count: rangeCount)
        firstTopic = 0
        for part in parts.indices {
            let count = parts[part].count
            numbers[part].withUnsafeBufferPointer { number in
                parts[part].takeLists { document, list in
                    Matcher.IndexBuilder.TermCounts.forEach(list) { term, units in
                        let index = Int(number[Int(term)])
                        // The range of the term: the last whose first term is not after it (a few ranges).
                        var low = 0
                        var high = rangeCount - 1
                        while low < high {
                            let middle = (low + high + 1) / 2
                            if rangeStarts[middle] <= index { low = middle } else { high = middle - 1 }
                        }
                        VarInt.append(UInt32(index - rangeStarts[low]), to: &scratch[low])
                        VarInt.append(units, to: &scratch[low])
                    }
                    for range in 0..<rangeCount where !scratch[range].isEmpty {
                        ranges[range].append(scratch[range])
                        rangeTopics[range].append(Int32(firstTopic + document))
                        scratch[range].removeAll(keepingCapacity: true)
                    }
                }
            }
            firstTopic += count
        }
        (scratch, parts) = ([], [])
        // Range after range, topic after topic, each count goes to the next place of its term, so each term's
        // postings are in topic order: only the postings' pages of one range are touched at a time, as that
        // range's lists are let go of.
        bytes = Flat<UInt8>(count: total) { bytes in
            for range in 0..<rangeCount {
                let first = rangeStarts[range]
                for term in first..<rangeStarts[range + 1] where previous[term] == -1 {
                    Postings.write(0, to: bytes, at: &starts[term])
                    previous[term] = 0
                }
                let topics = rangeTopics[range]
                rangeTopics[range] = []
                ranges[range].takeLists { record, list in
                    let topic = topics[record]
                    Postings.forEachOffset(list) { offset, units in
                        let index = first + Int(offset)
                        var last = previous[index]
                        if last < 0 {
                            Postings.write(UInt32(-1 - last), to: bytes, at: &starts[index])
                            last = 0
                        }
                        Postings.write(UInt32(topic - last), to: bytes, at: &starts[index])
                        Postings.write(units, to: bytes, at: &starts[index])
                        previous[index] = topic
                    }
                }
            }
        }
        // Each term's next free byte is now the next term's start.
        for term in stride(from: terms, to: 0, by: -1) { starts[term] = starts[term - 1] }
        starts[0] = 0
        let owner = ImageBytes(base: UnsafeRawPointer(starts.baseAddress!), count: (terms + 1) * 4,
                               release: { base, _ in UnsafeMutableRawPointer(mutating: base).deallocate() })
        self.starts = Flat(owner: owner, offset: 0, count: terms + 1)
    }

    /// About how many bytes of postings are made at a time (`init(parts:numbers:terms:)`).
    static let rangeSize = 1 << 20

    /// How many terms there are.
    var count: Int { starts.count - 1 }

    /// The bytes of term `term`'s list; empty when its starts are out of order or out of bounds (a damaged file).
    private func range(_ term: Int) -> Range<Int> {
        let start = Int(starts[term])
        let end = Int(starts[term + 1])
        return start >= 0 && start <= end && end <= bytes.count ? start..<end : 0..<0
    }

    /// Term `term`'s postings, read one after another (no copy), valid while these postings live.
    func list(_ term: Int) -> List {
        let range = range(term)
        var list = List(bytes: bytes.buffer(0..<bytes.count), index: range.lowerBound, end: range.upperBound)
        list.remaining = Postings.read(list.bytes, &list.index, list.end) ?? 0
        list.count = Int(list.remaining)
        return list
    }

    /// One term's postings: each topic that uses it (a number as stored: a damaged file may hold any) and the
    /// term's count there, in topic order.
    struct List: IteratorProtocol {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int
        let end: Int
        var remaining: UInt32 = 0
        var topic = 0
        /// How many topics use the term, as written: its IDF is computed from it.
        var count = 0

        init(bytes: UnsafeBufferPointer<UInt8>, index: Int, end: Int) {
            self.bytes = bytes
            self.index = index
            self.end = end
        }

        @inline(__always)
        mutating func next() -> (topic: Int, units: UInt32)? {
            guard remaining > 0, let gap = Postings.read(bytes, &index, end), let units = Postings.read(bytes, &index, end)
            else {
                remaining = 0
                return nil
            }
            remaining -= 1
            topic += Int(gap)
            return (topic, units)
        }
    }

    /// How many topics use term `term`.
    func documentFrequency(_ term: Int) -> Int {
        withExtendedLifetime(bytes.owner) { list(term).count }
    }

    /// Each topic that uses term `term` (a number as stored: a damaged file may hold any) and the term's count
    /// there, in topic order, until `body` returns false.
    func forEach(_ term: Int, _ body: (Int, UInt32) -> Bool) {
        withExtendedLifetime(bytes.owner) {
            var list = list(term)
            while let (topic, units) = list.next(), body(topic, units) {}
        }
    }

    /// Whether topic number `document` uses term `term`.
    func contains(_ term: Int, _ document: Int) -> Bool {
        var found = false
        forEach(term) { topic, _ in
            found = topic == document
            return topic < document
        }
        return found
    }

    func write(to writer: inout ImageWriter) {
        writer.add(bytes)
        writer.add(starts)
    }

    /// The postings read back from an image, for `terms` terms; nil when the sizes do not fit (the starts and
    /// numbers are checked where they are read).
    init?(reader: inout ImageReader, terms: Int) {
        guard let bytes = reader.flat(UInt8.self), let starts = reader.flat(Int32.self), starts.count == terms + 1
        else { return nil }
        self.init(bytes: bytes, starts: starts)
    }

    /// Each term's offset from its range's first term and its count, of one topic's list of a range (as
    /// `init(parts:numbers:terms:)` writes them: not in term order, so each offset whole, not a gap).
    @inline(__always)
    private static func forEachOffset(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt32, UInt32) -> Void) {
        var index = 0
        while index < bytes.count {
            let offset = VarInt.next(bytes, &index)
            body(offset, VarInt.next(bytes, &index))
        }
    }

    /// How many bytes `value` takes.
    static func size(_ value: UInt32) -> Int {
        value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5
    }

    /// Writes `value` at `position`, and moves `position` past it.
    @inline(__always)
    static func write(_ value: UInt32, to bytes: UnsafeMutableBufferPointer<UInt8>, at position: inout Int32) {
        var value = value
        var index = Int(position)
        while value >= 0x80 {
            bytes[index] = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            index += 1
        }
        bytes[index] = UInt8(value)
        position = Int32(index + 1)
    }

    /// The number at `index` (moved past it), or nil when it runs past `end` or is longer than a 32-bit number.
    @inline(__always)
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ end: Int) -> UInt32? {
        // Most numbers are one byte.
        if index < end, bytes[index] < 0x80 {
            index += 1
            return UInt32(bytes[index - 1])
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < end, shift < 35 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value <= UInt64(UInt32.max) ? UInt32(value) : nil }
            shift += 7
        }
        return nil
    }
}
