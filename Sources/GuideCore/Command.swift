/// The reserved words that work at every prompt (CONTRACT.md); content cannot take them over.
public enum Command: String, CaseIterable, Hashable, Sendable {
    case help, topics, menu, back, `repeat`, sources, sos, quit, why, forget

    /// Recognises a reserved word typed alone, ignoring case, spaces and end punctuation ("Quit!", "exit").
    public init?(_ line: String) {
        let words = TextNormalizer.words(line)
        guard words.count == 1 else { return nil }
        let word = words[0] == "exit" ? "quit" : words[0]
        self.init(rawValue: word)
    }

    /// `init(_:)`, and also a reserved word of four letters or more typed alone with one slip ("topcis", "hlep",
    /// "meun") or without its last "s" ("topic", "source"), when the word typed is not a word of its own (never
    /// quit, exit or forget, which cannot be undone):
    /// `isWord` says which are ("held", "pack" and "quiz" are words, not slips for help, back and quit). The
    /// three-letter words (sos, why) are taken only as written: one slip from them is too many other words.
    public init?(_ line: String, mending isWord: (String) -> Bool) {
        if let exact = Command(line) {
            self = exact
            return
        }
        let words = TextNormalizer.words(line)
        guard words.count == 1, let typed = words.first, typed.count >= 3 else { return nil }
        // Never the words that cannot be undone: a slip must not close the guide or erase the history.
        let spelled = Command.words.filter { $0.count >= 4 && !["quit", "exit", "forget"].contains($0) }
        if let word = spelled.first(where: { $0.hasSuffix("s") && String($0.dropLast()) == typed }) {
            self.init(line: word)
            return
        }
        guard !isWord(typed), let word = spelled.first(where: { Command.oneSlip(Array(typed), Array($0)) }) else {
            return nil
        }
        self.init(line: word)
    }

    private init?(line word: String) {
        self.init(rawValue: word == "exit" ? "quit" : word)
    }

    /// Every reserved word, as typed (for Tab completion).
    public static var words: [String] { allCases.map(\.rawValue) + ["exit"] }

    /// Whether `typed` is `word` with one slip: a letter left out, one too many, one wrong, or two next to each
    /// other swapped.
    static func oneSlip(_ typed: [Character], _ word: [Character]) -> Bool {
        guard typed != word, abs(typed.count - word.count) <= 1 else { return false }
        var start = 0
        while start < min(typed.count, word.count), typed[start] == word[start] { start += 1 }
        let typedRest = typed[start...]
        let wordRest = word[start...]
        if typed.count == word.count {
            // One wrong letter, or two swapped.
            if typedRest.dropFirst() == wordRest.dropFirst() { return true }
            return typedRest.count >= 2 && typedRest.first == wordRest.dropFirst().first
                && wordRest.first == typedRest.dropFirst().first && typedRest.dropFirst(2) == wordRest.dropFirst(2)
        }
        // One letter left out or one too many.
        return typed.count > word.count ? typedRest.dropFirst() == wordRest : wordRest.dropFirst() == typedRest
    }
}
