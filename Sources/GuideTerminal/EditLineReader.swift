import CEditLine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads lines at a terminal with libedit: emacs-style editing, Up and Down history, Tab completion,
/// UTF-8 text, Ctrl-C to drop a line and Ctrl-D to end.
///
/// Use it only when `Terminal.isInteractive`; piped input goes to `PlainLineReader`.
/// This is the only file that imports `CEditLine`.
public final class EditLineReader: LineReader {
    /// A history file could not be removed.
    public struct HistoryFileError: Error, Equatable, CustomStringConvertible {
        /// The history file's path.
        public let path: String
        /// The `errno` value of the failed call.
        public let code: Int32

        /// The failure in words, for the person.
        public var description: String {
            "cannot remove history file '\(path)': \(String(cString: strerror(code)))"
        }
    }

    private var editLine: OpaquePointer?
    private var history: OpaquePointer?
    /// Where history is saved; nil once `forgetHistory` has erased it, so nothing is written again this session.
    private var historyFile: String?
    /// Where the words Tab completes come from, until the first Tab asks for them.
    private var completionSource: (() -> [String])?
    /// The words Tab completes, sorted, once asked for.
    private var sortedCompletions: [String]?
    /// The prompt that libedit's prompt callback hands out; owned by this object.
    private var promptText: UnsafeMutablePointer<CChar>?
    /// Set by the Ctrl-C binding; tells `readLine` to drop the line libedit returns.
    private var lineCancelled = false

    /// A reader that edits on standard input and output.
    ///
    /// - Parameters:
    ///   - programName: the name libedit looks for in `~/.editrc`.
    ///   - historyFile: where history is kept between sessions, or nil to keep it only for this session.
    ///     It is loaded now if present, saved after each line entered, and kept at mode 0600; a directory
    ///     made for it gets mode 0700. Failing to read or write it never stops the reader.
    public init(programName: String, historyFile: String? = nil) {
        self.historyFile = historyFile
        Self.useUTF8Locale()
        Self.ignoreInterruptOutsideEditing()

        let history = history_init()
        self.history = history
        if let history {
            cedit_history_set_size(history, Self.historySize)
            cedit_history_set_unique(history, 1)
            if let historyFile, access(historyFile, F_OK) == 0 {
                cedit_history_load(history, historyFile)
                chmod(historyFile, 0o600)
            }
        }

        guard let editLine = el_init(programName, cedit_stdin(), cedit_stdout(), cedit_stderr()) else { return }
        self.editLine = editLine
        // libedit may draw the prompt before the first readLine; it must never see NULL.
        promptText = strdup("")
        cedit_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        cedit_set_editor(editLine, "emacs")
        cedit_set_signal(editLine, 1)
        cedit_set_prompt(editLine, { editLine in EditLineReader.owning(editLine)?.promptText }, Self.promptIgnore)
        if let history {
            cedit_set_history(editLine, history)
        }

        // Ctrl-C reaches the editor as a key instead of a signal, and drops the line.
        cedit_setty(editLine, "-d", "-intr")
        cedit_add_function(editLine, "guide-cancel", "Drop the line being typed") { editLine, _ in
            guard let editLine, let reader = EditLineReader.owning(editLine) else { return UInt8(CC_ERROR) }
            return reader.cancelLine(editLine)
        }
        cedit_bind(editLine, "^C", "guide-cancel")

        cedit_add_function(editLine, "guide-complete", "Complete the word before the cursor") { editLine, _ in
            guard let editLine, let reader = EditLineReader.owning(editLine) else { return UInt8(CC_ERROR) }
            return reader.complete(editLine)
        }
        cedit_bind(editLine, "^I", "guide-complete")
        cedit_bind(editLine, "^R", "em-inc-search-prev")

        // Read ~/.editrc last, so a person's own bindings win.
        el_source(editLine, nil)
    }

    deinit {
        close()
    }

    /// Shows `prompt`, lets the person edit one line and returns it without its newline.
    ///
    /// Text between two U+0001 characters in `prompt` (such as colour escapes) is printed but takes no room.
    public func readLine(prompt: String) -> LineInput {
        guard let editLine else { return .endOfInput }
        setPrompt(prompt)
        lineCancelled = false
        // The window may have changed size while the guide was busy between two lines.
        el_resize(editLine)

        while true {
            var count: Int32 = 0
            errno = 0
            let text = el_gets(editLine, &count)
            if lineCancelled {
                lineCancelled = false
                return .interrupted
            }
            guard let text else {
                if count == -1, errno == EINTR {
                    continue
                }
                // libedit leaves the cursor after the echoed ^D: end that line.
                let output = cedit_stdout()
                fputs("\n", output)
                fflush(output)
                return .endOfInput
            }
            var line = String(cString: text)
            if line.hasSuffix("\n") {
                line.removeLast()
            }
            remember(line)
            return .line(line)
        }
    }

    /// Sets where the words Tab completes come from; they are asked for at the first Tab.
    public func setCompletions(_ words: @escaping () -> [String]) {
        completionSource = words
        sortedCompletions = nil
    }

    /// The words Tab completes, without repeats, sorted ignoring case.
    var completions: [String] {
        if let sortedCompletions { return sortedCompletions }
        var seen = Set<String>()
        let words = (completionSource?() ?? []).filter { !$0.isEmpty && seen.insert($0).inserted }
            .sorted { ($0.lowercased(), $0) < ($1.lowercased(), $1) }
        sortedCompletions = words
        return words
    }

    /// Clears this session's history and deletes the history file, if one is kept. Nothing more is written to
    /// the file for the rest of the session: a person who asked to forget should leave no new trace.
    public func forgetHistory() throws {
        if let history {
            cedit_history_clear(history)
        }
        guard let path = historyFile else { return }
        if unlink(path) != 0, errno != ENOENT {
            throw HistoryFileError(path: path, code: errno)
        }
        historyFile = nil
    }

    /// Ctrl-C while an answer is printing, or in the moment before editing starts, must not end the guide:
    /// while editing, Ctrl-C is a key (see `init`); at any other time the signal is ignored. libedit's own
    /// handlers (`EL_SIGNAL`) are installed only inside `el_gets` and restore this one afterwards.
    static func ignoreInterruptOutsideEditing() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_IGN
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Ends editing and restores the terminal. The reader returns `.endOfInput` afterwards.
    public func close() {
        if let editLine {
            el_end(editLine)
            self.editLine = nil
        }
        if let history {
            history_end(history)
            self.history = nil
        }
        free(promptText)
        promptText = nil
    }
}

private extension EditLineReader {
    static let historySize: Int32 = 1000
    /// Prompt text between two of these is printed but takes no room.
    static let promptIgnore = CChar(1)

    /// The reader that owns `editLine`, found through libedit's client data.
    static func owning(_ editLine: OpaquePointer?) -> EditLineReader? {
        guard let editLine, let data = cedit_get_clientdata(editLine) else { return nil }
        return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue()
    }

    /// Makes the character type locale UTF-8; without it libedit drops every non-ASCII byte.
    static func useUTF8Locale() {
        setlocale(LC_CTYPE, "")
        if !isUTF8Codeset() {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    static func isUTF8Codeset() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).lowercased()
        return name == "utf-8" || name == "utf8"
    }

    func setPrompt(_ prompt: String) {
        free(promptText)
        promptText = strdup(prompt)
    }

    /// Enters a non-empty line into history and saves the history file.
    func remember(_ line: String) {
        var trimmed = Substring(line)
        while let last = trimmed.last, last.isWhitespace {
            trimmed.removeLast()
        }
        guard let history, !trimmed.isEmpty else { return }
        cedit_history_enter(history, String(trimmed))
        saveHistory(history)
    }

    /// Writes the whole history file, making its directory first; leaves the file at mode 0600.
    func saveHistory(_ history: OpaquePointer) {
        guard let historyFile else { return }
        PrivateFile.makeDirectories(for: historyFile)
        // Create the file private, so it is never readable by others, not even before libedit's fchmod.
        let fd = open(historyFile, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 {
            closeDescriptor(fd)
        }
        cedit_history_save(history, historyFile)
        chmod(historyFile, 0o600)
    }

    /// Closes `fd`; the platform's `close` is hidden by this class's own `close()`.
    func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
            _ = Glibc.close(fd)
        #elseif canImport(Darwin)
            _ = Darwin.close(fd)
        #endif
    }

    /// The Ctrl-C binding: marks the line dropped, shows `^C` after it and ends it.
    func cancelLine(_ editLine: OpaquePointer) -> UInt8 {
        lineCancelled = true
        if let info = el_wline(editLine) {
            el_cursor(editLine, Int32(info.pointee.cursor.distance(to: info.pointee.lastchar)))
        }
        el_insertstr(editLine, "^C")
        el_push(editLine, "\n")
        return UInt8(CC_REFRESH)
    }

    /// The Tab binding: completes the word before the cursor from `completions`.
    ///
    /// One match replaces the word and adds a space; several matches extend the word to their longest
    /// common prefix, or are listed when it cannot be extended. Matching ignores case.
    func complete(_ editLine: OpaquePointer) -> UInt8 {
        guard let info = el_line(editLine) else { return UInt8(CC_ERROR) }
        let before = UnsafeBufferPointer(
            start: UnsafeRawPointer(info.pointee.buffer).assumingMemoryBound(to: UInt8.self),
            count: info.pointee.buffer.distance(to: info.pointee.cursor))
        let textBefore = String(decoding: before, as: UTF8.self)
        let word = String(textBefore.reversed().prefix { !$0.isWhitespace }.reversed())
        let atEnd = info.pointee.cursor == info.pointee.lastchar
        let nextIsSpace = !atEnd && info.pointee.cursor.pointee == CChar(UInt8(ascii: " "))

        let matches = completions.filter { Self.hasPrefixIgnoringCase($0, word) }
        guard let first = matches.first else { return UInt8(CC_REFRESH_BEEP) }

        if matches.count == 1 {
            replace(word, with: nextIsSpace ? first : first + " ", in: editLine)
            return UInt8(CC_REFRESH)
        }
        let common = matches.dropFirst().reduce(first) { Self.commonPrefixIgnoringCase($0, $1) }
        if common.count > word.count {
            replace(word, with: common, in: editLine)
            return UInt8(CC_REFRESH)
        }
        list(matches)
        return UInt8(CC_REDISPLAY)
    }

    /// Deletes `word` before the cursor and inserts `replacement`.
    func replace(_ word: String, with replacement: String, in editLine: OpaquePointer) {
        // el_deletestr counts characters as libedit does: one wide character per Unicode scalar.
        el_deletestr(editLine, Int32(word.unicodeScalars.count))
        el_insertstr(editLine, replacement)
    }

    /// Prints `words` in columns below the line; libedit redraws the prompt and line after.
    func list(_ words: [String]) {
        let widest = words.map(\.count).max() ?? 0
        let columnWidth = widest + 2
        let width = Terminal.width(STDOUT_FILENO) ?? 80
        let columns = max(1, width / columnWidth)
        let rows = (words.count + columns - 1) / columns
        var text = "\n"
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let index = column * rows + row
                guard index < words.count else { break }
                let word = words[index]
                let isLast = column == columns - 1 || index + rows >= words.count
                line += isLast ? word : word + String(repeating: " ", count: columnWidth - word.count)
            }
            text += line + "\n"
        }
        let output = cedit_stdout()
        fputs(text, output)
        fflush(output)
    }

    static func hasPrefixIgnoringCase(_ candidate: String, _ prefix: String) -> Bool {
        var candidateCharacters = candidate.makeIterator()
        for character in prefix {
            guard let other = candidateCharacters.next(), sameIgnoringCase(character, other) else { return false }
        }
        return true
    }

    /// The longest common prefix of `a` and `b`, ignoring case, spelt as in `a`.
    static func commonPrefixIgnoringCase(_ a: String, _ b: String) -> String {
        var end = a.startIndex
        var otherCharacters = b.makeIterator()
        while end < a.endIndex, let other = otherCharacters.next(), sameIgnoringCase(a[end], other) {
            end = a.index(after: end)
        }
        return String(a[..<end])
    }

    static func sameIgnoringCase(_ a: Character, _ b: Character) -> Bool {
        a == b || a.lowercased() == b.lowercased()
    }
}
