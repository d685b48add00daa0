/// The words of an education session (`klonopin-guide session`), read after the crisis screen and before the
/// reserved words. `back`, `repeat`, `sources` and `help` keep their names but mean the session's step.
public enum CourseWord: Hashable, Sendable {
    /// The next step.
    case next
    /// Every step, numbered.
    case agenda
    /// A step by number (`go 3`, `go to step 3`, `step 3`); nil when no number was given.
    case go(Int?)
    /// The knowledge check.
    case quiz
    /// The person's own question for the prescriber, as typed (may be empty).
    case note(String)
    /// Write the handout; the file name as typed (may be empty).
    case handout(String)
    /// Clear everything the session holds, for the next person.
    case reset

    /// The words, as typed, for Tab completion.
    public static let words = ["next", "agenda", "go", "quiz", "note", "handout", "reset"]

    /// Reads a line (already sanitised). `note` and `handout` keep the rest of the line as typed.
    public init?(_ text: String) {
        let (head, rest) = CourseWord.firstWord(text)
        switch head {
        case "note":
            self = .note(rest)
            return
        case "handout":
            self = .handout(rest)
            return
        default:
            break
        }
        let words = TextNormalizer.words(text)
        guard let first = words.first else { return nil }
        switch (first, words.count) {
        case ("next", 1): self = .next
        case ("agenda", 1): self = .agenda
        case ("quiz", 1): self = .quiz
        case ("reset", 1): self = .reset
        case ("go", 1): self = .go(nil)
        case ("go", _), ("step", _):
            // "go 3", "go to 3", "go to step 3", "step 3"; anything else ("go to bed") is a question.
            let rest = words.dropFirst().filter { $0 != "to" && $0 != "step" }
            guard rest.count == 1, let number = Int(rest[rest.startIndex]) else { return nil }
            self = .go(number)
        default:
            return nil
        }
    }

    /// The first word of the line, lower-cased, without a trailing ':' ("Note:" → "note"), and the rest of the
    /// line as typed, trimmed.
    static func firstWord(_ text: String) -> (String, String) {
        let trimmed = text.drop { $0 == " " }
        let head = trimmed.prefix { $0 != " " }
        var rest = trimmed.dropFirst(head.count).drop { $0 == " " }
        while rest.last == " " { rest = rest.dropLast() }
        var word = head.lowercased()
        if word.hasSuffix(":") { word.removeLast() }
        return (word, String(rest))
    }
}
