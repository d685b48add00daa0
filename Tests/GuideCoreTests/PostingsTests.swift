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
}
