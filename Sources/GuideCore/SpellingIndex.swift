/// Which words of a list a mistyped word is compared with: only those whose first two letters could be its own
/// after one slip. The same first letter; a swap or an extra first letter (the word starts with the typed word's
/// second letter); a wrong first letter (the same second letter); a dropped first letter (the word's second letter
/// is the typed word's first). Used by the matcher's spelling tolerance and the crisis screen's spelling repair.
///
/// Of those, only words whose set of letters is close enough are kept: one edit adds or removes at most one letter
/// of the set (a wrong letter: one of each; a swap: none), so a word `limit` edits away differs in at most
/// `2 × limit` of them. Each word's letters are a 32-bit mask (a byte counts as its low five bits), so the test
/// is one XOR and a population count; it never drops a word the edit distance would keep.
struct SpellingIndex: Sendable {
    /// The positions of the words by first letter: those starting with byte `b` are
    /// `byFirstLetter[firstStarts[b] ..< firstStarts[b + 1]]`; the same by second letter.
    private let firstStarts: Flat<Int32>
    private let byFirstLetter: Flat<Int32>
    private let secondStarts: Flat<Int32>
    private let bySecondLetter: Flat<Int32>
    private let masks: Flat<UInt32>

    /// Indexes `words` (UTF-8) by their positions in the list.
    init<Words: Sequence>(_ words: Words) where Words.Element: Collection<UInt8> {
        var first: [[Int32]] = Array(repeating: [], count: 256)
        var second: [[Int32]] = Array(repeating: [], count: 256)
        var masks: [UInt32] = []
        for (index, word) in words.enumerated() {
            var bytes = word.makeIterator()
            if let letter = bytes.next() {
                first[Int(letter)].append(Int32(index))
                if let letter = bytes.next() { second[Int(letter)].append(Int32(index)) }
            }
            masks.append(SpellingIndex.mask(word))
        }
        func starts(_ lists: [[Int32]]) -> [Int32] {
            var starts: [Int32] = [0]
            for list in lists { starts.append(starts.last! + Int32(list.count)) }
            return starts
        }
        self.init(firstStarts: Flat(starts(first)), byFirstLetter: Flat(first.flatMap { $0 }),
                  secondStarts: Flat(starts(second)), bySecondLetter: Flat(second.flatMap { $0 }), masks: Flat(masks))
    }

    private init(firstStarts: Flat<Int32>, byFirstLetter: Flat<Int32>, secondStarts: Flat<Int32>,
                 bySecondLetter: Flat<Int32>, masks: Flat<UInt32>) {
        self.firstStarts = firstStarts
        self.byFirstLetter = byFirstLetter
        self.secondStarts = secondStarts
        self.bySecondLetter = bySecondLetter
        self.masks = masks
    }

    /// Positions of the words to compare `typed` with (two letters or more) when at most `limit` edits are
    /// allowed; a position may come more than once.
    func candidates(for typed: [UInt8], within limit: Int) -> [Int] {
        let typedMask = SpellingIndex.mask(typed)
        var found: [Int] = []
        func add(_ starts: Flat<Int32>, _ positions: Flat<Int32>, _ letter: UInt8) {
            let (start, end) = (Int(starts[Int(letter)]), Int(starts[Int(letter) + 1]))
            // Checked here, not when an index file is opened: a damaged file finds fewer words, never traps.
            guard start >= 0, start <= end, end <= positions.count else { return }
            for index in start..<end {
                let position = Int(positions[index])
                guard position >= 0, position < masks.count else { continue }
                if (masks[position] ^ typedMask).nonzeroBitCount <= 2 * limit { found.append(position) }
            }
        }
        add(firstStarts, byFirstLetter, typed[0])
        add(firstStarts, byFirstLetter, typed[1])
        add(secondStarts, bySecondLetter, typed[1])
        add(secondStarts, bySecondLetter, typed[0])
        return found
    }

    /// The set of a word's bytes, each as its low five bits.
    static func mask<Word: Sequence<UInt8>>(_ word: Word) -> UInt32 {
        word.reduce(0) { $0 | 1 << UInt32($1 & 31) }
    }

    func write(to writer: inout ImageWriter) {
        for table in [firstStarts, byFirstLetter, secondStarts, bySecondLetter] { writer.add(table) }
        writer.add(masks)
    }

    /// An index read back from an image, for `words` words; nil when its tables' sizes do not fit together (the
    /// positions are checked in `candidates`).
    init?(reader: inout ImageReader, words: Int) {
        guard let firstStarts = reader.flat(Int32.self), let byFirstLetter = reader.flat(Int32.self),
              let secondStarts = reader.flat(Int32.self), let bySecondLetter = reader.flat(Int32.self),
              let masks = reader.flat(UInt32.self), masks.count == words, firstStarts.count == 257,
              secondStarts.count == 257 else { return nil }
        self.init(firstStarts: firstStarts, byFirstLetter: byFirstLetter, secondStarts: secondStarts,
                  bySecondLetter: bySecondLetter, masks: masks)
    }
}
