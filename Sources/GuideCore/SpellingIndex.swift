/// Which words of a list a mistyped word is compared with: only those whose first two letters could be its own
/// after one slip. The same first letter; a swap or an extra first letter (the word starts with the typed word's
/// second letter); a wrong first letter (the same second letter); a dropped first letter (the word's second letter
/// is the typed word's first). Used by the matcher's spelling tolerance and the crisis screen's spelling repair.
struct SpellingIndex: Sendable {
    private var byFirstLetter: [UInt8: [Int]] = [:]
    private var bySecondLetter: [UInt8: [Int]] = [:]

    /// Indexes `words` (UTF-8) by their positions in the list.
    init<Words: Sequence>(_ words: Words) where Words.Element == [UInt8] {
        for (index, word) in words.enumerated() {
            if let first = word.first { byFirstLetter[first, default: []].append(index) }
            if word.count > 1 { bySecondLetter[word[1], default: []].append(index) }
        }
    }

    /// Positions of the words to compare `typed` with (two letters or more); a position may come more than once.
    func candidates(for typed: [UInt8]) -> [Int] {
        (byFirstLetter[typed[0]] ?? []) + (byFirstLetter[typed[1]] ?? [])
            + (bySecondLetter[typed[1]] ?? []) + (bySecondLetter[typed[0]] ?? [])
    }
}
