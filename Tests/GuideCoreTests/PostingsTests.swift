@testable import GuideCore
import Testing

/// The matcher's postings in one block of variable-length integers: they read back exactly as the topics' counts
/// were given, and damaged bytes read as fewer postings, never a trap.
@Suite("Postings")
struct PostingsTests {
    /// Each topic's terms and counts, in the order a builder notes them (a term's first use first; they are kept in
    /// term order), with gaps and counts of one to five bytes.
    static let topics: [[(term: Int32, units: UInt32)]] = [
        [(2, 60), (0, 6), (3, 1 << 7)],
        [],
        [(0, 40), (2, 1 << 14)],
        [(3, 20), (1, 1 << 28), (0, UInt32.max)],
    ] + Array(repeating: [], count: 200) + [[(3, 6), (1, (1 << 21) + 5)]]

    static func postings() -> Postings {
        var scratch: [UInt8] = []
        var counts = Matcher.IndexBuilder.TermCounts()
        for list in topics {
            scratch.removeAll()
            var entries = list.map { Matcher.IndexBuilder.TermCounts.entry($0.term, $0.units) }
            Matcher.IndexBuilder.TermCounts.encode(&entries, to: &scratch)
            counts.append(scratch)
        }
        let postings = Postings(counts: &counts, terms: 5)
        #expect(counts == Matcher.IndexBuilder.TermCounts())
        return postings
    }

    static func lists(_ postings: Postings) -> [[(Int, UInt32)]] {
        (0..<postings.count).map { term in
            var list: [(Int, UInt32)] = []
            postings.forEach(term) { topic, units in
                list.append((topic, units))
                return true
            }
            return list
        }
    }

    @Test("Each term's postings are its topics in order with their counts, and how many topics use it")
    func readsBack() {
        let postings = Self.postings()
        let expected: [[(Int, UInt32)]] = [
            [(0, 6), (2, 40), (3, UInt32.max)],
            [(3, 1 << 28), (204, (1 << 21) + 5)],
            [(0, 60), (2, 1 << 14)],
            [(0, 1 << 7), (3, 20), (204, 6)],
            [],
        ]
        let lists = Self.lists(postings)
        #expect(lists.map { $0.map(\.0) } == expected.map { $0.map(\.0) })
        #expect(lists.map { $0.map(\.1) } == expected.map { $0.map(\.1) })
        #expect((0..<5).map(postings.documentFrequency) == [3, 2, 2, 3, 0])
        #expect([0, 1, 2, 3, 4, 204].map { postings.contains(3, $0) } == [true, false, false, true, false, true])
        #expect(!postings.contains(4, 0))
        // Written and read back as an image: the same bytes and starts.
        var writer = ImageWriter(version: 1, key: 1)
        postings.write(to: &writer)
        let image = writer.bytes
        let read = image.withUnsafeBytes { bytes -> Postings? in
            guard var reader = ImageReader(ImageBytes(copying: bytes), version: 1, key: 1) else { return nil }
            return Postings(reader: &reader, terms: 5)
        }
        #expect(read.map { Array($0.bytes) } == Array(postings.bytes))
        #expect(read.map { Array($0.starts) } == Array(postings.starts))
    }

    @Test("Bytes cut short or changed read as fewer or other postings, never a trap")
    func damaged() {
        let postings = Self.postings()
        let bytes = Array(postings.bytes)
        for cut in 0...bytes.count {
            let short = Postings(bytes: Flat(Array(bytes.prefix(cut))), starts: postings.starts)
            for term in 0..<short.count {
                short.forEach(term) { _, _ in true }
                _ = short.documentFrequency(term)
            }
        }
        var changed = bytes
        for index in changed.indices { changed[index] = 0xFF }
        let damaged = Postings(bytes: Flat(changed), starts: postings.starts)
        #expect(Self.lists(damaged).allSatisfy { $0.isEmpty })
        let backwards = Postings(bytes: postings.bytes, starts: Flat([0, 9, 4, 30, 1000, 2000]))
        #expect(Self.lists(backwards)[1].isEmpty)
        #expect(Self.lists(backwards)[3].isEmpty)
    }

    /// Topics read by two builders (the second numbering its terms its own way), renumbered as the term table
    /// numbers them: each term's postings hold its topics in order with their counts, and the bytes are the same
    /// whether they are made in one range or in many (on two threads).
    @Test("Postings of merged builders in many ranges are those of one range, and hold every topic of each term")
    func mergedInRanges() {
        let terms = 3000
        let renumbered = (0..<Int32(terms)).map { ($0 * 7919) % Int32(terms) }
        // The second builder's term `local` is the first's `secondTerms[local]`.
        let secondTerms = (0..<Int32(terms)).map { (terms - 1 - Int($0) + 1234) % terms }.map(Int32.init)
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        // Each topic's terms (the first builder's numbers) and counts; topics 0..<150 read by the first.
        var topics: [[Int32: UInt32]] = []
        for _ in 0..<300 {
            var list: [Int32: UInt32] = [:]
            for _ in 0..<(next(60) + (topics.count % 7 == 3 ? 0 : 1)) {
                // Small terms often, a few counts of several bytes.
                let term = Int32(next(4) == 0 ? next(40) : next(terms))
                list[term] = UInt32(next(10) == 0 ? next(1 << 24) : next(200))
            }
            topics.append(list)
        }
        let localOf = Dictionary(uniqueKeysWithValues: secondTerms.enumerated().map { ($1, Int32($0)) })
        func make(rangeSize: Int) -> Postings {
            var first = Matcher.IndexBuilder.TermCounts()
            var second = Matcher.IndexBuilder.TermCounts()
            for (topic, list) in topics.enumerated() {
                var scratch: [UInt8] = []
                var entries = list.map { term, units in
                    Matcher.IndexBuilder.TermCounts.entry(topic < 150 ? term : localOf[term]!, units)
                }
                Matcher.IndexBuilder.TermCounts.encode(&entries, to: &scratch)
                if topic < 150 { first.append(scratch) } else { second.append(scratch) }
            }
            var later = [(counts: second, terms: secondTerms)]
            return Postings(counts: &first, later: &later, terms: terms, renumbered: renumbered, rangeSize: rangeSize)
        }
        var expected = [[(Int, UInt32)]](repeating: [], count: terms)
        for (topic, list) in topics.enumerated() {
            for (term, units) in list.sorted(by: { $0.key < $1.key }) { expected[Int(renumbered[Int(term)])].append((topic, units)) }
        }
        let whole = make(rangeSize: 1 << 30)
        let ranged = make(rangeSize: 64)
        let lists = Self.lists(ranged)
        #expect(lists.map { $0.map(\.0) } == expected.map { $0.map(\.0) })
        #expect(lists.map { $0.map(\.1) } == expected.map { $0.map(\.1) })
        #expect((0..<terms).map(ranged.documentFrequency) == expected.map(\.count))
        #expect(Array(ranged.bytes) == Array(whole.bytes))
        #expect(Array(ranged.starts) == Array(whole.starts))
    }
}
