@testable import GuideCore
import Testing

/// The builder's numbering of strings: however full its hash table is kept, however it grows, and however it is
/// let go of, it numbers the same strings the same way and gives back the same list.
@Suite("String numbering")
struct StringNumberingTests {
    /// Enough strings to grow the table many times, with repeats, an empty string and non-ASCII ones.
    static let strings: [String] = (0..<3000).map { "w\($0 % 1700)" } + ["", "é", "w12", "漢字", "", "w1699 w2"]

    static func numbers(_ numbering: inout StringNumbering, _ strings: [String]) -> [Int32] {
        strings.map { numbering.add($0).number }
    }

    @Test("Half or three quarters full, grown by doubling or reserved at once: the same numbers and the same list")
    func sameNumbers() {
        var plain = StringNumbering()
        let expected = Self.numbers(&plain, Self.strings)
        #expect(expected.prefix(3) == [0, 1, 2])
        #expect(expected[1700] == 0)
        #expect(plain.count == 1700 + 4)
        var dense = StringNumbering(dense: true)
        #expect(Self.numbers(&dense, Self.strings) == expected)
        var reserved = StringNumbering(dense: true)
        reserved.reserve(Self.strings.count, bytes: Self.strings.reduce(0) { $0 + $1.utf8.count })
        #expect(Self.numbers(&reserved, Self.strings) == expected)
        for numbering in [dense, reserved] {
            #expect(numbering.list.strings == plain.list.strings)
            #expect(Self.strings.map { numbering.number(ofString: $0) } == expected)
            #expect(numbering.number(ofString: "w1700") == nil)
        }
    }

    @Test("Without its hash table the strings still read by number; taken as a list, the numbering is emptied")
    func letGo() {
        var numbering = StringNumbering(dense: true)
        _ = Self.numbers(&numbering, Self.strings)
        let strings = numbering.list.strings
        numbering.dropSlots()
        #expect((0..<numbering.count).map { numbering[$0] } == strings)
        #expect(numbering.takeList().strings == strings)
        #expect(numbering.count == 0)
        #expect(numbering.list.strings.isEmpty)
        let table = StringTable(list: StringList(strings))
        #expect(strings.map { table.index(of: $0) } == Array(0..<strings.count))
    }
}

/// The builder's numbering of terms by stem numbers, and the merge of a second builder's terms into it.
@Suite("Term numbering")
struct TermNumberingTests {
    @Test("Merged terms are numbered as if met after the first's, in the second's order, its pairs never added twice")
    func merge() {
        var first = TermNumbering()
        #expect([first.single(0), first.pair(0, 1), first.single(1), first.pair(1, 0)] == [0, 1, 2, 3])
        // The second's stems 0, 1, 2 are the first's 1, 0 and a new stem 2.
        var second = TermNumbering()
        #expect([second.pair(0, 1), second.single(2), second.pair(1, 0), second.pair(2, 2), second.single(0)]
                == [0, 1, 2, 3, 4])
        // Met one after the other, the first's terms then the second's (by the first's stems) number so.
        var single = first
        let expected = [single.pair(1, 0), single.single(2), single.pair(0, 1), single.pair(2, 2), single.single(1)]
        #expect(expected == [3, 4, 1, 5, 2])
        #expect(first.merge(second, stems: [1, 0, 2]) == expected)
        #expect(first.keys == single.keys)
        #expect((0..<3).map { first.number(ofStem: $0) } == [0, 2, 4])
    }
}

@Suite("Example keys")
struct ExampleKeysTests {
    /// The key of these stem numbers (`Matcher.exampleKey`).
    static func key(_ stems: [Int32]) -> [UInt8] {
        var stems = stems
        var key: [UInt8] = []
        Matcher.exampleKey(&stems, into: &key)
        return key
    }

    static func add(_ stems: [Int32], _ topic: Int, to keys: inout Matcher.IndexBuilder.ExampleKeys) {
        key(stems).withUnsafeBufferPointer { keys.add($0, topic: topic) }
    }

    @Test("Keys are numbered in the order first read, each with its topics once, in topic order")
    func table() {
        var keys = Matcher.IndexBuilder.ExampleKeys()
        ExampleKeysTests.add([3, 1], 0, to: &keys)
        ExampleKeysTests.add([2], 0, to: &keys)
        ExampleKeysTests.add([1, 3], 0, to: &keys)
        ExampleKeysTests.add([2], 1, to: &keys)
        ExampleKeysTests.add([200], 2, to: &keys)
        ExampleKeysTests.add([3, 1, 1], 2, to: &keys)
        #expect(keys.count == 6 && keys.topicCount == 3)
        let (list, starts, documents) = keys.takeTable()
        #expect((0..<list.count).map { Array(list.bytes($0)) }
                == [ExampleKeysTests.key([1, 3]), ExampleKeysTests.key([2]), ExampleKeysTests.key([200])])
        #expect(starts == [0, 2, 4, 5])
        #expect(documents == [0, 2, 0, 1, 2])
        #expect(keys == Matcher.IndexBuilder.ExampleKeys(), "emptied")
    }

    @Test("Appended keys are made again from the stems' numbers here, their topics after these")
    func append() {
        var first = Matcher.IndexBuilder.ExampleKeys()
        ExampleKeysTests.add([0, 1], 0, to: &first)
        ExampleKeysTests.add([1], 1, to: &first)
        // The second's stems 0, 1, 2 are the first's 1, 0 and 300.
        var second = Matcher.IndexBuilder.ExampleKeys()
        ExampleKeysTests.add([0, 2], 0, to: &second)
        ExampleKeysTests.add([1, 0], 0, to: &second)
        ExampleKeysTests.add([0], 1, to: &second)
        var single = first
        ExampleKeysTests.add([1, 300], 2, to: &single)
        ExampleKeysTests.add([0, 1], 2, to: &single)
        ExampleKeysTests.add([1], 3, to: &single)
        first.append(second, stems: [1, 0, 300])
        #expect(first == single)
        let (list, starts, documents) = first.takeTable()
        #expect((0..<list.count).map { Array(list.bytes($0)) }
                == [ExampleKeysTests.key([0, 1]), ExampleKeysTests.key([1]), ExampleKeysTests.key([1, 300])])
        #expect(starts == [0, 2, 4, 5])
        #expect(documents == [0, 2, 1, 3, 2])
    }
}

@Suite("Block array")
struct BlockArrayTests {
    @Test("Values appended across blocks read back as an array of them, in order")
    func appendAndRead() {
        let values = (0..<(3 * BlockArray<Int>.blockSize + 5)).map { $0 &* 7919 }
        var blocks = BlockArray<Int>()
        #expect(blocks.isEmpty && Array(blocks) == [])
        for value in values { blocks.append(value) }
        #expect(blocks.count == values.count)
        #expect(Array(blocks) == values)
        let edges = [0, BlockArray<Int>.blockSize - 1, BlockArray<Int>.blockSize, values.count - 1]
        #expect(edges.map { blocks[$0] } == edges.map { values[$0] })
        var other = BlockArray<Int>()
        for value in values.dropLast() { other.append(value) }
        #expect(other != blocks)
        other.append(values.last!)
        #expect(other == blocks)
    }
}
