import Foundation
import GuideContent
@testable import GuideCore
import Testing

/// The compiled index: a guide started from it (topics on a lazy shelf, tables read from the image) answers
/// exactly as the guide that built it, and a damaged or foreign image is refused or answers wrongly, never traps.
@Suite("The compiled index")
struct CompiledIndexTests {
    static let directory = TestGuide.repository.appendingPathComponent("Content/en").path

    /// Lines of every kind: each example question and title of the bundle, the safety set's crisis and calm lines,
    /// and messy questions that need spelling repair, synonyms or the fallback.
    static let lines: [String] = {
        var lines = TestGuide.shipped.bundle.topics.flatMap { [$0.title] + $0.asks }
        for name in ["crisis.txt", "not-crisis.txt"] {
            let url = TestGuide.repository.appendingPathComponent("Tests/SafetySet/\(name)")
            let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            lines += text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        }
        return lines + ["wat r withdrawl symptons", "been off k-pins 3 weeks still cant sleep is that normal",
                        "cold turky klonapin", "how do i fix my router", "asdf jkl", "i need help", ""]
    }()

    /// The shipped guide's index as a file would hold it, read back with a lazy shelf.
    static func compiledGuide(key: UInt64 = 42) throws -> Guide {
        let image = TestGuide.shipped.compiledIndex(key: key).bytes
        let compiled = try #require(image.withUnsafeBytes { CompiledIndex(ImageBytes(copying: $0), key: key) })
        let shelf = TopicShelf(ids: compiled.topicIDs, titles: compiled.topicTitles, directory: directory)
        let bundle = try #require(BundleLoader.load(directory: directory, shelf: shelf).bundle)
        return Guide(bundle: bundle, compiled: compiled)
    }

    @Test("A guide started from the compiled index replies to every line exactly as the guide that built it")
    func sameReplies() throws {
        let guide = try Self.compiledGuide()
        #expect(guide.bundle.shelf.readsLazily)
        #expect(Self.lines.count > 1000)
        #expect(Self.lines.map(guide.reply) == Self.lines.map(TestGuide.shipped.reply))
        // Follow-ups read with the last topic alike.
        let context = "timeline"
        for line in ["how long does that last", "what about at night", "and for older people"] {
            #expect(guide.answer(line, context: context) == TestGuide.shipped.answer(line, context: context))
        }
    }

    @Test("The same guide makes the same image, byte for byte; the lazy shelf reads each topic as the loader did")
    func deterministic() throws {
        let again = Guide(bundle: TestGuide.shipped.bundle)
        #expect(again.compiledIndex(key: 1).bytes == TestGuide.shipped.compiledIndex(key: 1).bytes)
        let guide = try Self.compiledGuide()
        #expect(guide.bundle.shelf.ids == TestGuide.shipped.bundle.shelf.ids)
        #expect(guide.bundle.topics == TestGuide.shipped.bundle.topics)
        #expect(guide.bundle.topic("no-such-topic") == nil)
    }

    @Test("An image for another key or another layout, or not an image at all, is refused")
    func refused() throws {
        let image = TestGuide.shipped.compiledIndex(key: 7).bytes
        func read(_ bytes: [UInt8], key: UInt64 = 7) -> CompiledIndex? {
            bytes.withUnsafeBytes { CompiledIndex(ImageBytes(copying: $0), key: key) }
        }
        #expect(read(image) != nil)
        #expect(read(image, key: 8) == nil)
        var otherVersion = image
        otherVersion[8] &+= 1
        #expect(read(otherVersion) == nil)
        #expect(read([]) == nil)
        #expect(read(Array("klonopin-guide bundle stamp 1\n".utf8)) == nil)
        // Cut short: the sections no longer fit in the bytes.
        #expect(read(Array(image.prefix(image.count / 2))) == nil)
        #expect(read(Array(image.prefix(40))) == nil)
    }

    @Test("A damaged image gives a guide that answers without trapping, or none", arguments: 0..<40)
    func damaged(seed: Int) throws {
        var random = SplitMix(seed: UInt64(seed))
        var image = TestGuide.shipped.compiledIndex(key: 3).bytes
        // Any byte may be wrong, as on a failing disk: mostly the tables', for one seed in four the header's too.
        let start = seed % 4 == 0 ? 0 : 32 + 16 * 31
        for _ in 0..<(1 + seed % 50) {
            let position = start + Int(random.next() % UInt64(image.count - start))
            image[position] = UInt8(truncatingIfNeeded: random.next())
        }
        guard let compiled = image.withUnsafeBytes({ CompiledIndex(ImageBytes(copying: $0), key: 3) }) else { return }
        let shelf = TopicShelf(ids: compiled.topicIDs, titles: compiled.topicTitles, directory: Self.directory)
        guard let bundle = BundleLoader.load(directory: Self.directory, shelf: shelf).bundle else { return }
        let guide = Guide(bundle: bundle, compiled: compiled)
        for line in Self.lines.prefix(300) { _ = guide.reply(to: line) }
        for line in ["withdrawl symptons", "clonazapam", "insomnnia", "xyzzy plugh"] { _ = guide.reply(to: line) }
    }

    @Test("The words the crisis screen never repairs are every word of the bundle's topics, flows and lexicon (everyday words too)")
    func knownWords() {
        for guide in [TestGuide.shipped, TestGuide.minimal] {
            let bundle = guide.bundle
            var expected: Set<String> = []
            for topic in bundle.topics {
                for text in [topic.title, topic.body.plainText] + topic.asks {
                    expected.formUnion(TextNormalizer.words(text))
                }
            }
            for flow in bundle.flows.values {
                for node in flow.nodes.values { expected.formUnion(TextNormalizer.words(node.body.plainText)) }
            }
            for entry in bundle.lexicon.entries {
                expected.formUnion(([entry.canonical] + entry.variants).flatMap(TextNormalizer.words))
            }
            expected.formUnion(bundle.lexicon.ignored.flatMap(TextNormalizer.words))
            expected.formUnion(bundle.lexicon.everyday.flatMap(TextNormalizer.words))
            let known = guide.knownWords
            // Each word once, in the order the matcher read them (then the others, sorted).
            #expect((0..<known.count).map { known[$0] }.sorted() == expected.sorted())
        }
    }

    @Test("A string table finds each of its strings at its first position, and nothing else")
    func stringTable() {
        let words = ["taper", "", "sleep", "taper", "cold turkey", "é", "sleepy"]
        let table = StringTable(words)
        #expect(words.map { table.index(of: $0) } == [0, 1, 2, 0, 4, 5, 6])
        #expect(["tape", "Sleep", "turkey", "e"].map { table.index(of: $0) } == [nil, nil, nil, nil])
        #expect((0..<table.count).map { table[$0] } == words)
        // FNV-1a, the same in every process (the published test vector for "a").
        var a = "a"
        #expect(a.withUTF8(StringTable.hash) == 0xaf63_dc4c_8601_ec8c)
    }

    @Test("A lazy shelf reads a topic when first asked for, and not one whose file no longer reads clean")
    func lazyShelf() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kg-shelf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("topics"),
                                                withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = TestGuide.repository.appendingPathComponent("Content/en/topics")
        for id in ["sleep", "timeline"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent("\(id).txt"),
                                             to: folder.appendingPathComponent("topics/\(id).txt"))
        }
        let shelf = TopicShelf(ids: ["sleep", "timeline"], titles: ["Sleep?", "Timeline?"], directory: folder.path)
        #expect(shelf.title("sleep") == "Sleep?")
        try "id: timeline\ntitle: broken\n".write(to: folder.appendingPathComponent("topics/timeline.txt"),
                                                   atomically: true, encoding: .utf8)
        #expect(shelf.topic("sleep")?.asks == TestGuide.shipped.bundle.topic("sleep")?.asks)
        #expect(shelf.topic("timeline") == nil)
        #expect(shelf.all.map(\.id) == ["sleep"])
    }

    @Test("A shelf finds each of its ids, and no other, by a search of the sorted ids")
    func shelfTitles() {
        let ids = (0..<37).map { "topic-\(String($0, radix: 2))" }.sorted()
        let shelf = TopicShelf(ids: ids, titles: ids.map { $0.uppercased() }, directory: "/nonexistent")
        #expect(ids.map(shelf.title) == ids.map { $0.uppercased() })
        let others = ["", "a", "topic-", "topic-0 ", "topic-10x", "topic-2", "zzz"]
        #expect(others.map(shelf.title) == others.map { _ in nil })
        #expect(TopicShelf(ids: [], titles: [], directory: "/nonexistent").title("a") == nil)
    }
}

/// A small seeded generator, so that each damaged image is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
