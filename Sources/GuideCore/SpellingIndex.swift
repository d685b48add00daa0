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
    private var byFirstLetter: [UInt8: [Int]] = [:]
    private var bySecondLetter: [UInt8: [Int]] = [:]
    private var masks: [UInt32] = []

    /// Indexes `words` (UTF-8) by their positions in the list.
    init<Words: Sequence>(_ words: Words) where Words.Element == [UInt8] {
        for (index, word) in words.enumerated() {
            if let first = word.first { byFirstLetter[first, default: []].append(index) }
            if word.count > 1 { bySecondLetter[word[1], default: []].append(index) }
            masks.append(SpellingIndex.mask(word))
        }
    }

    /// Positions of the words to compare `typed` with (two letters or more) when at most `limit` edits are
    /// allowed; a position may come more than once.
    func candidates(for typed: [UInt8], within limit: Int) -> [Int] {
        let typedMask = SpellingIndex.mask(typed)
        let near = { (index: Int) in (self.masks[index] ^ typedMask).nonzeroBitCount <= 2 * limit }
        return (byFirstLetter[typed[0]] ?? []).filter(near) + (byFirstLetter[typed[1]] ?? []).filter(near)
            + (bySecondLetter[typed[1]] ?? []).filter(near) + (bySecondLetter[typed[0]] ?? []).filter(near)
    }

    /// The set of a word's bytes, each as its low five bits.
    static func mask(_ word: [UInt8]) -> UInt32 {
        word.reduce(0) { $0 | 1 << UInt32($1 & 31) }
    }
}
