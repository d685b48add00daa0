/// What one read from the person produced.
public enum LineInput: Equatable, Sendable {
    /// A whole line, without its line ending.
    case line(String)
    /// Ctrl-C: the line being typed was discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// Reads lines from the person. The libedit reader serves terminals, the plain reader serves pipes,
/// and tests use a scripted reader.
public protocol LineReader: AnyObject {
    /// Shows `prompt` (terminal readers only) and waits for one line.
    func readLine(prompt: String) -> LineInput
    /// The words Tab completes: reserved words, flow words and topic ids. Asked for at the first Tab, so they can
    /// come from a bundle still being read when the first prompt is shown.
    func setCompletions(_ words: @escaping () -> [String])
    /// Erases the session's history and, if one is kept, the history file.
    func forgetHistory() throws
}

extension LineReader {
    /// The words Tab completes, known now.
    public func setCompletions(_ words: [String]) { setCompletions { words } }
}
