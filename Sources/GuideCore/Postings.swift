import GuideContent

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
    /// `rangeSize`: about how many bytes of postings are made at a time (tests make many ranges of a few terms).
    init(counts: inout Matcher.IndexBuilder.TermCounts, later: inout [(counts: Matcher.IndexBuilder.TermCounts, terms: [Int32])],
         terms: Int, renumbered: [Int32]? = nil, rangeSize: Int = Postings.rangeSize) {
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
        self.init(parts: &parts, numbers: numbers, terms: terms, rangeSize: rangeSize)
    }

    /// The postings of `parts` (their topics one after another), a term of part `p` being term `numbers[p][term]`.
    /// `parts` is emptied, each block of counts let go of once read.
    ///
    /// The terms are cut into ranges of about `rangeSize` bytes of postings each (from a histogram of the counts,
    /// made first), and each part's counts are sorted into the ranges, a stream for each part and range
    /// (`RangeStream`), a thread for each part. Then each range is made on its own, ranges on two threads: first
    /// its terms' sizes and numbers of topics, from its streams, with tables as long as its terms, which stay in
    /// the processor's cache (tables as long as all the terms missed it at nearly every count); then, once every
    /// range is sized and the postings' bytes are made, its postings, its streams let go of once placed. Only the
    /// starts and the numbers of topics are as long as all the terms, and only the pages of the ranges being made
    /// are touched at a time. The bytes are the same whatever the ranges and threads.
    private init(parts: inout [Matcher.IndexBuilder.TermCounts], numbers: [[Int32]], terms: Int, rangeSize: Int) {
        var topicCount = 0
        let firstTopics = parts.map { part in
            defer { topicCount += part.count }
            return Int32(topicCount)
        }
        let partCount = parts.count
        let boxes = parts.map(CountsBox.init)
        parts = []
        let twoThreads = topicCount >= Matcher.topicsForTwoThreads
        // Work on indexes 0, 2, 4… here and 1, 3, 5… on another thread, when there is more than one.
        func split<Result: Sendable>(_ count: Int, _ work: @escaping @Sendable (Int) -> Result) -> [Result] {
            guard twoThreads && count > 1 else { return (0..<count).map(work) }
            let odd = Deferred(later: { stride(from: 1, to: count, by: 2).map(work) })
            odd.start()
            let even = stride(from: 0, to: count, by: 2).map(work)
            let oddResults = odd.value
            return (0..<count).map { $0 % 2 == 0 ? even[$0 / 2] : oddResults[$0 / 2] }
        }

        // About how many bytes of postings each group of `1 << bucketShift` terms has (a gap taken as one byte).
        let bucketShift = 8
        let bucketCount = terms >> bucketShift + 1
        let histograms = split(partCount) { part in
            var histogram = [Int](repeating: 0, count: bucketCount)
            numbers[part].withUnsafeBufferPointer { number in
                boxes[part].counts.forEachList { _, list in
                    Matcher.IndexBuilder.TermCounts.forEach(list) { term, units in
                        histogram[Int(number[Int(term)]) >> bucketShift] += 1 + Postings.size(units)
                    }
                }
            }
            return histogram
        }
        // The ranges (`rangeStarts[r]` is range r's first term) and each bucket's range.
        var starting = [0]
        var rangeOfBucket = [Int32](repeating: 0, count: bucketCount)
        var sum = 0
        for bucket in 0..<bucketCount {
            if sum >= rangeSize {
                starting.append(bucket << bucketShift)
                sum = 0
            }
            rangeOfBucket[bucket] = Int32(starting.count - 1)
            for histogram in histograms { sum += histogram[bucket] }
        }
        starting.append(terms)
        let rangeStarts = starting
        let bucketRanges = rangeOfBucket
        let rangeCount = rangeStarts.count - 1

        // Each part's counts into a stream for each range, each block of counts let go of once read.
        let streams = split(partCount) { part in
            // Written through a pointer: a stream's numbers are written with no reference counted or checked.
            let own = UnsafeMutableBufferPointer<RangeStream>.allocate(capacity: rangeCount)
            own.initialize(repeating: RangeStream())
            defer { own.deallocate() }
            var counts = Matcher.IndexBuilder.TermCounts()
            swap(&counts, &boxes[part].counts)
            let first = firstTopics[part]
            numbers[part].withUnsafeBufferPointer { number in
                bucketRanges.withUnsafeBufferPointer { bucketRanges in
                    rangeStarts.withUnsafeBufferPointer { rangeStarts in
                        counts.takeLists { document, list in
                            let topic = first + Int32(document)
                            Matcher.IndexBuilder.TermCounts.forEach(list) { term, units in
                                let index = Int(number[Int(term)])
                                let range = Int(bucketRanges[index >> bucketShift])
                                own[range].add(topic: topic, offset: UInt32(index - rangeStarts[range]), units: units)
                            }
                        }
                    }
                }
            }
            for range in own.indices { own[range].finish() }
            return Array(own)
        }

        // Each term's size in bytes (its postings, then its number of topics) and its number of topics, range by
        // range; then the sizes made into starts.
        let starts = Shared<Int32>(count: terms + 1)
        let frequencies = Shared<Int32>(count: terms)
        defer { frequencies.deallocate() }
        _ = split(rangeCount) { range in
            let first = rangeStarts[range]
            let count = rangeStarts[range + 1] - first
            let previous = Shared<Int32>(count: count)
            defer { previous.deallocate() }
            for part in 0..<partCount {
                streams[part][range].forEach { topic, offset, units in
                    let index = Int(offset)
                    starts[first + index] += Int32(Postings.size(UInt32(topic - previous[index])) + Postings.size(units))
                    previous[index] = topic
                    frequencies[first + index] += 1
                }
            }
            for term in first..<first + count { starts[term] += Int32(Postings.size(UInt32(frequencies[term]))) }
            return 0
        }
        var total = 0
        for term in 0..<terms {
            let size = Int(starts[term])
            starts[term] = Int32(total)
            total += size
            precondition(total <= Int(Int32.max), "more postings than an index holds")
        }
        starts[terms] = Int32(total)

        // Range by range, topic after topic, each count goes to the next place of its term, so each term's
        // postings are in topic order. Each term's start is its next place meanwhile, and its number of topics,
        // once written, the last topic placed.
        bytes = Flat<UInt8>(count: total) { bytes in
            let target = Shared(bytes)
            _ = split(rangeCount) { range in
                let first = rangeStarts[range]
                for term in first..<rangeStarts[range + 1] {
                    Postings.write(UInt32(frequencies[term]), to: target.buffer, at: &starts.buffer[term])
                    frequencies[term] = 0
                }
                for part in 0..<partCount {
                    streams[part][range].forEach { topic, offset, units in
                        let term = first + Int(offset)
                        Postings.write(UInt32(topic - frequencies[term]), to: target.buffer, at: &starts.buffer[term])
                        Postings.write(units, to: target.buffer, at: &starts.buffer[term])
                        frequencies[term] = topic
                    }
                    streams[part][range].release()
                }
                return 0
            }
        }
        // Each term's next place is now the next term's start.
        for term in stride(from: terms, to: 0, by: -1) { starts[term] = starts[term - 1] }
        starts[0] = 0
        let owner = ImageBytes(base: UnsafeRawPointer(starts.buffer.baseAddress!), count: (terms + 1) * 4,
                               release: { base, _ in UnsafeMutableRawPointer(mutating: base).deallocate() })
        self.starts = Flat(owner: owner, offset: 0, count: terms + 1)
    }

    /// About how many bytes of postings are made at a time (`init(parts:numbers:terms:)`).
    static let rangeSize = 1 << 20

    /// One part's counts, handed to the thread that reads them, which takes them out: each block is let go of once
    /// read.
    private final class CountsBox: @unchecked Sendable {
        var counts: Matcher.IndexBuilder.TermCounts
        init(_ counts: Matcher.IndexBuilder.TermCounts) { self.counts = counts }
    }

    /// Memory that two threads write at once, each in places of its own.
    private struct Shared<Element>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Element>

        init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }

        /// `count` zeroed elements.
        init(count: Int) where Element == Int32 {
            buffer = .allocate(capacity: Swift.max(count, 1))
            buffer.initialize(repeating: 0)
        }

        func deallocate() { buffer.deallocate() }

        subscript(index: Int) -> Element {
            get { buffer[index] }
            nonmutating set { buffer[index] = newValue }
        }
    }

    /// One part's counts of one range of terms, as they are read (its blocks let go of by `release`): for each topic with terms in the range, its gap
    /// from the previous such topic, then each term's offset from the range's first term plus one and its count,
    /// then 0; each number a variable-length integer. In blocks of `chunkSize` bytes (each its own mapping, let go
    /// of at once), none of which splits a number, or a term's offset from its count.
    private struct RangeStream: @unchecked Sendable {
        static let chunkSize = 1 << 18
        /// The full blocks, and how many bytes of each are used.
        private var chunks: [(base: UnsafeMutablePointer<UInt8>, used: Int)] = []
        private var base: UnsafeMutablePointer<UInt8>?
        private var used = 0
        private var capacity = 0
        /// The last topic written, and whether its list is still open.
        private var topic: Int32 = 0
        private var isOpen = false

        /// Adds term `offset` of the range and its count `units` to topic `topic` (the last topic given, or a later
        /// one).
        @inline(__always)
        mutating func add(topic: Int32, offset: UInt32, units: UInt32) {
            // At most a 0, a gap, an offset and a count.
            if capacity - used < 16 { newChunk() }
            if !isOpen || topic != self.topic {
                if isOpen { put(0) }
                put(UInt32(topic - self.topic))
                self.topic = topic
                isOpen = true
            }
            put(offset + 1)
            put(units)
        }

        /// Ends the last topic's list.
        mutating func finish() {
            guard isOpen else { return }
            if capacity - used < 1 { newChunk() }
            put(0)
            isOpen = false
        }

        /// Each topic, term offset and count, in the order added.
        @inline(__always)
        func forEach(_ body: (Int32, UInt32, UInt32) -> Void) {
            var topic: Int32 = 0
            var inList = false
            func read(_ bytes: UnsafeBufferPointer<UInt8>) {
                var index = 0
                while index < bytes.count {
                    let value = VarInt.next(bytes, &index)
                    if !inList {
                        topic += Int32(value)
                        inList = true
                    } else if value == 0 {
                        inList = false
                    } else {
                        body(topic, value - 1, VarInt.next(bytes, &index))
                    }
                }
            }
            for chunk in chunks { read(UnsafeBufferPointer(start: chunk.base, count: chunk.used)) }
            if let base { read(UnsafeBufferPointer(start: base, count: used)) }
        }

        /// Lets go of the blocks: no copy of this stream may be read after.
        func release() {
            for chunk in chunks { chunk.base.deallocate() }
            base?.deallocate()
        }

        @inline(__always)
        private mutating func put(_ value: UInt32) {
            var value = value
            while value >= 0x80 {
                base![used] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                used += 1
            }
            base![used] = UInt8(value)
            used += 1
        }

        private mutating func newChunk() {
            if let base { chunks.append((base, used)) }
            base = .allocate(capacity: RangeStream.chunkSize)
            (used, capacity) = (0, RangeStream.chunkSize)
        }
    }

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
