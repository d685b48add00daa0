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

    /// Every reserved word, as typed (for Tab completion).
    public static var words: [String] { allCases.map(\.rawValue) + ["exit"] }
}
