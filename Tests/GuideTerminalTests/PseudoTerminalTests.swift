import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The real `klonopin-guide` binary at a real pseudo-terminal, driven by tmux.
///
/// What libedit does (history, Tab, Ctrl-C, Ctrl-D, UTF-8, the history file) only happens when standard input
/// and output are a terminal, so these tests type keys into a tmux pane and read the pane back. Each test has
/// its own tmux server (a unique `-L` socket) and its own empty `HOME`, so they may run in parallel and a
/// person's `~/.editrc` or history never leaks in. Expected text is read from `Content/en`, not copied here.
@Suite("The guide in a pseudo-terminal (tmux)")
struct PseudoTerminalTests {
    @Test("Up recalls the line just entered, and Enter answers it again")
    func upRecallsTheLastLine() async throws {
        let timeline = try GuideFiles.topic("timeline")
        let guide = try GuidePane.start()
        defer { guide.stop() }

        let first = try await guide.waitForPrompt()
        try guide.type(timeline.question)
        try guide.press("Enter")
        let prompt = try await guide.waitForAnswer(title: timeline.title, count: 1)

        try guide.press("Up")
        try await guide.waitForCursorLine(prompt + timeline.question)

        try guide.press("Enter")
        _ = try await guide.waitForAnswer(title: timeline.title, count: 2)
        let echoes = try guide.transcript().filter { $0.hasSuffix("> " + timeline.question) }
        #expect(echoes == [first + timeline.question, prompt + timeline.question],
                "the recalled line is entered as typed")
    }

    @Test("Tab completes a unique prefix, extends a common prefix and lists an ambiguous one")
    func tabCompletes() async throws {
        let timeline = try GuideFiles.topic("timeline")
        let words = try GuideFiles.completionWords()
        let guide = try GuidePane.start()
        defer { guide.stop() }

        // A unique prefix becomes the whole word and a space.
        let first = try await guide.waitForPrompt()
        try guide.type("timel")
        try guide.press("Tab")
        let completed = try await guide.waitForCursorLine(first + "timeline")
        #expect(completed.cursorX == first.count + "timeline ".count, "a space follows the completed word")

        try guide.press("Enter")
        let prompt = try await guide.waitForAnswer(title: timeline.title, count: 1)

        // An ambiguous prefix that cannot be extended lists every candidate, then shows the line again.
        try guide.type("ta")
        try guide.press("Tab")
        let candidates = words.filter { $0.hasPrefix("ta") }.sorted()
        try #require(candidates.count > 1, "the content must give several words starting with 'ta'")
        let listed = try await guide.waitFor("the candidates for 'ta' listed below the line") { screen -> [String]? in
            let echoes = screen.lines.indices.filter { screen.lines[$0] == prompt + "ta" }
            guard screen.cursorLine == prompt + "ta", echoes.count >= 2,
                  echoes.last == screen.cursorY else { return nil }
            let between = screen.lines[(echoes[echoes.count - 2] + 1)..<echoes[echoes.count - 1]]
            let listed = between.flatMap { $0.split(separator: " ").map(String.init) }
            return listed.isEmpty ? nil : listed
        }
        #expect(listed.sorted() == candidates)

        // A prefix shared by several candidates is extended to their longest common prefix, without a space.
        let shared = try #require(GuideFiles.commonPrefix(words.filter { $0.hasPrefix("tap") }))
        #expect(shared.count > "tap".count, "the content must give words sharing a prefix longer than 'tap'")
        try guide.type("p")
        try guide.press("Tab")
        let extended = try await guide.waitForCursorLine(prompt + shared)
        #expect(extended.cursorX == prompt.count + shared.count, "no space follows a partial completion")
    }

    @Test("Ctrl-C drops the line being typed, says so, and the guide answers the next line")
    func controlCDropsTheLine() async throws {
        let timeline = try GuideFiles.topic("timeline")
        let sleep = try GuideFiles.topic("sleep")
        let cleared = try GuideFiles.message("interrupted")
        let guide = try GuidePane.start()
        defer { guide.stop() }

        let prompt = try await guide.waitForPrompt()
        try guide.type("timeline")
        try await guide.waitForCursorLine(prompt + "timeline")
        try guide.press("C-c")
        try await guide.waitFor("the guide's message after Ctrl-C, then a prompt") { screen in
            screen.barePrompt != nil && screen.lines.contains(cleared) ? true : nil
        }
        let transcript = try guide.transcript()
        let cancelled = try #require(transcript.lastIndex { $0.hasPrefix(prompt + "timeline") })
        #expect(Array(transcript[cancelled...]) == [prompt + "timeline^C", cleared, "", prompt.trimmed])

        try guide.type("sleep")
        try guide.press("Enter")
        let next = try await guide.waitForAnswer(title: sleep.title, count: 1)
        #expect(try guide.transcript().filter { $0 == timeline.title }.isEmpty, "the dropped line is not answered")
        #expect(try !guide.hasExited())

        // The dropped line is not in the history either: Up twice stops at "sleep".
        try guide.press("Up", "Up")
        try guide.type("!")
        try await guide.waitForCursorLine(next + "sleep!")
    }

    @Test("Ctrl-D at an empty prompt ends the guide with status 0 and restores the terminal")
    func controlDExits() async throws {
        let guide = try GuidePane.start()
        defer { guide.stop() }

        _ = try await guide.waitForPrompt()
        try guide.press("C-d")
        let exit = try await guide.waitFor("the guide to exit") { GuidePane.exitReport(in: $0) }
        #expect(exit.status == "0")
        #expect(exit.terminal == "restored", "stty -g after the guide equals stty -g before it")
        #expect(exit.modes == TerminalModes(canonical: true, echo: true, signals: true, interrupt: "^C"))
    }

    @Test("UTF-8 text is shown intact, edited by whole characters and answered", arguments: LocaleSetting.allCases)
    func utf8Text(locale: LocaleSetting) async throws {
        let text = "qué es klonopin 😀"
        let answers = try GuideFiles.topicTitles() + [GuideFiles.firstSentence(of: GuideFiles.message("fallback"))]
        let guide = try GuidePane.start(locale: locale.environment)
        defer { guide.stop() }

        let prompt = try await guide.waitForPrompt()
        try guide.type(text)
        let typed = try await guide.waitForCursorLine(prompt + text)
        #expect(typed.cursorX == prompt.count + GuideFiles.columns(text), "the emoji takes two columns")

        // Backspace removes the emoji as one character, not one byte of it.
        try guide.press("BSpace")
        let erased = try await guide.waitForCursorLine(prompt + "qué es klonopin")
        #expect(erased.cursorX == prompt.count + GuideFiles.columns("qué es klonopin "))
        try guide.type("😀")
        try await guide.waitForCursorLine(prompt + text)

        try guide.press("Enter")
        let answer = try await guide.waitFor("an answer to '\(text)', then a prompt") { screen -> String? in
            guard screen.barePrompt != nil,
                  let echo = screen.transcript.lastIndex(of: prompt + text) else { return nil }
            return screen.transcript[(echo + 1)...].first { answers.contains($0) }
        }
        #expect(!answer.isEmpty)
        #expect(try !guide.hasExited())
    }

    @Test("A second start, with the bundle's stamp current, greets at once, completes with Tab and answers")
    func stampedStart() async throws {
        let timeline = try GuideFiles.topic("timeline")
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let stamps = home.url.appendingPathComponent(".cache/klonopin-guide")

        // First start: the whole bundle is read and checked, then a stamp is left.
        GuideFiles.waitUntilContentSettled()
        do {
            let guide = try GuidePane.start(home: home.url)
            defer { guide.stop() }
            _ = try await guide.waitForPrompt()
            try guide.type("quit")
            try guide.press("Enter")
            let exit = try await guide.waitFor("the guide to exit after 'quit'") { GuidePane.exitReport(in: $0) }
            #expect(exit.status == "0")
        }
        // A stamp and, beside it, the compiled index, both private.
        let names = try FileManager.default.contentsOfDirectory(atPath: stamps.path).sorted()
        #expect(names.map { ($0 as NSString).pathExtension } == ["index", "stamp"],
                "one stamp and one index in \(stamps.path): \(names)")
        #expect(Set(names.map { ($0 as NSString).deletingPathExtension }).count == 1)
        #expect(GuideFiles.permissions(stamps.path) == 0o700)
        for name in names { #expect(GuideFiles.permissions(stamps.appendingPathComponent(name).path) == 0o600) }

        // Second start: the welcome comes from ui.txt alone; Tab and the first answer wait for the rest, read
        // with the compiled index (the topic shown is read from its file).
        let guide = try GuidePane.start(home: home.url)
        defer { guide.stop() }
        let first = try await guide.waitForPrompt()
        try guide.type("timel")
        try guide.press("Tab")
        try await guide.waitForCursorLine(first + "timeline")
        try guide.press("Enter")
        _ = try await guide.waitForAnswer(title: timeline.title, count: 1)
        try guide.press("C-d")
        let exit = try await guide.waitFor("the guide to exit after Ctrl-D") { GuidePane.exitReport(in: $0) }
        #expect(exit.status == "0")
    }

    @Test("--history keeps a private history file that the next visit recalls and 'forget' erases")
    func historyFile() async throws {
        let timeline = try GuideFiles.topic("timeline")
        let forgotten = try GuideFiles.message("history-forgotten")
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let state = home.url.appendingPathComponent("state")
        let file = state.appendingPathComponent("klonopin-guide/history")
        let environment = ["HOME": home.url.path, "XDG_STATE_HOME": state.path]

        // First visit: one question, then quit.
        do {
            let guide = try GuidePane.start(arguments: ["--history"], environment: environment, home: home.url)
            defer { guide.stop() }
            _ = try await guide.waitForPrompt()
            try guide.type(timeline.question)
            try guide.press("Enter")
            _ = try await guide.waitForAnswer(title: timeline.title, count: 1)
            try guide.type("quit")
            try guide.press("Enter")
            let exit = try await guide.waitFor("the guide to exit after 'quit'") { GuidePane.exitReport(in: $0) }
            #expect(exit.status == "0")
        }
        #expect(GuideFiles.permissions(file.path) == 0o600)
        #expect(GuideFiles.permissions(file.deletingLastPathComponent().path) == 0o700)
        let saved = try Data(contentsOf: file)
        #expect(GuideFiles.historyEntries(saved) == [timeline.question, "quit"])

        // Second visit: Up walks back through the saved lines; 'forget' deletes the file.
        let guide = try GuidePane.start(arguments: ["--history"], environment: environment, home: home.url)
        defer { guide.stop() }
        let first = try await guide.waitForPrompt()
        try guide.press("Up")
        try await guide.waitForCursorLine(first + "quit")
        try guide.press("Up")
        try await guide.waitForCursorLine(first + timeline.question)
        try guide.press("Enter")
        _ = try await guide.waitForAnswer(title: timeline.title, count: 1)

        try guide.type("forget")
        try guide.press("Enter")
        let prompt = try await guide.waitFor("the guide's message after 'forget', then a prompt") { screen in
            screen.lines.contains(forgotten) ? screen.barePrompt : nil
        }
        #expect(!FileManager.default.fileExists(atPath: file.path), "'forget' deletes \(file.path)")

        // The session's own history is gone too: Up has nothing to recall.
        try guide.press("Up")
        try guide.type("x")
        try await guide.waitForCursorLine(prompt + "x")
        try guide.press("BSpace", "C-d")
        let exit = try await guide.waitFor("the guide to exit after Ctrl-D") { GuidePane.exitReport(in: $0) }
        #expect(exit.status == "0")
        #expect(!FileManager.default.fileExists(atPath: file.path), "nothing was entered after 'forget'")
    }
}

// MARK: - Driving the guide in a tmux pane

/// The locale the guide starts with; libedit drops non-ASCII bytes unless the guide makes LC_CTYPE UTF-8.
enum LocaleSetting: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case utf8 = "LANG=C.UTF-8"
    case unset = "no LANG or LC_* (the guide must fall back to C.UTF-8)"

    var environment: [String: String] {
        switch self {
        case .utf8: ["LANG": "C.UTF-8"]
        case .unset: [:]
        }
    }

    var testDescription: String { rawValue }
}

/// What the wrapper shell prints after the guide ends.
private struct ExitReport {
    /// The guide's exit status, as `$?` prints it.
    var status: String
    /// "restored" when `stty -g` after the guide equals `stty -g` before it, else "changed".
    var terminal: String
    var modes: TerminalModes
}

/// The terminal modes a shell needs back after a line editor ends.
struct TerminalModes: Equatable {
    var canonical: Bool
    var echo: Bool
    var signals: Bool
    var interrupt: String

    /// Reads `stty -a` output, where a mode is `icanon` when on and `-icanon` when off.
    init(stty: String) {
        let tokens = stty.split { $0 == " " || $0 == ";" || $0 == "\n" }.map(String.init)
        canonical = tokens.contains("icanon") && !tokens.contains("-icanon")
        echo = tokens.contains("echo") && !tokens.contains("-echo")
        signals = tokens.contains("isig") && !tokens.contains("-isig")
        // "intr = ^C;"
        if let intr = tokens.firstIndex(of: "intr"), intr + 2 < tokens.count, tokens[intr + 1] == "=" {
            interrupt = tokens[intr + 2]
        } else {
            interrupt = ""
        }
    }

    init(canonical: Bool, echo: Bool, signals: Bool, interrupt: String) {
        self.canonical = canonical
        self.echo = echo
        self.signals = signals
        self.interrupt = interrupt
    }
}

/// The pane at one moment: its visible lines and cursor, and everything it showed since it started.
private struct Screen {
    /// The visible lines, trailing spaces removed.
    var lines: [String]
    var cursorX: Int
    var cursorY: Int
    /// Every line since the pane started, wrapped lines joined, trailing spaces and blank lines removed.
    var transcript: [String]
    /// Whether the terminal was in libedit's editing mode (not canonical) just after the capture.
    var rawMode: Bool

    var cursorLine: String { lines.indices.contains(cursorY) ? lines[cursorY] : "" }

    /// The prompt (with its trailing space) when the guide waits for keys after an empty prompt, else nil.
    ///
    /// libedit prints the prompt before it puts the terminal in raw mode, and keys sent in between are echoed
    /// twice (and Ctrl-C there is a signal): only a prompt on a raw terminal is ready for keys.
    var barePrompt: String? {
        guard rawMode else { return nil }
        return GuideFiles.prompts.first { cursorLine == $0.trimmed && cursorX == $0.count }
    }

    /// The lines down to the last one with text, then where the cursor is.
    var text: String {
        var shown = lines
        while shown.last == "" { shown.removeLast() }
        return shown.joined(separator: "\n")
            + "\n(cursor at column \(cursorX), row \(cursorY); terminal \(rawMode ? "raw" : "canonical"))"
    }
}

/// A wait that ran out of time, or that the guide's exit ended; shows what the screen held last.
private struct TerminalTimeout: Error, CustomStringConvertible {
    var waitingFor: String
    var seconds: Double
    var screen: String
    /// The guide's exit status when it ended while the test waited for something else.
    var exitStatus: String?

    var description: String {
        if let exitStatus {
            return "the guide exited with status \(exitStatus) while the test waited for \(waitingFor)"
                + " (129+ is a signal: 130 is SIGINT); the pane showed:\n\(screen)"
        }
        return "timed out after \(seconds) s waiting for \(waitingFor); the pane showed:\n\(screen)"
    }
}

/// A tmux command that failed.
private struct TmuxFailure: Error, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var output: String

    var description: String { "tmux \(arguments.joined(separator: " ")) failed with status \(status): \(output)" }
}

/// The guide running in a detached tmux session of its own tmux server.
///
/// The pane runs a shell that starts the guide, then prints its exit status and the terminal's modes, then
/// sleeps, so the pane stays readable after the guide ends. `stop()` kills the server in every case, and the
/// server kills itself after two minutes if `stop()` never runs.
private final class GuidePane {
    /// How long any one wait may take; generous for a loaded 2-core machine.
    static let timeout: Duration = .seconds(8)
    static let pollInterval: Duration = .milliseconds(50)

    /// Runs the guide ("$0" "$@"), then reports how it ended.
    ///
    /// The watchdog ends the tmux server after ten minutes should the test process die before `stop()` (two
    /// minutes were too few on a machine under load: a pane waiting for its turn was killed mid-test); it gets
    /// the pane's hangup, and dies with it, when the server is killed first. The trap keeps this shell alive to
    /// report a guide killed by Ctrl-C (status 130); the guide itself still gets the default SIGINT action.
    static let wrapper = #"""
        (sleep 600; tmux kill-server) &
        trap : INT
        before=$(stty -g)
        "$0" "$@"
        status=$?
        after=$(stty -g)
        echo "guide-exit-status=$status"
        if [ "$before" = "$after" ]; then echo "tty-after-exit=restored"; else echo "tty-after-exit=changed"; fi
        echo "stty-after-exit: $(stty -a | tr '\n' ' ') :end"
        exec sleep 60
        """#

    let tmux: String
    let socket = "kg-test-\(UUID().uuidString)"
    /// The pane's terminal device, such as /dev/pts/3.
    private var paneTTY = ""
    private let clientEnvironment: [String: String]
    private let ownedHome: TemporaryDirectory?
    private var stopped = false

    /// Starts the guide from the repository root in a 100 × 40 pane.
    ///
    /// - Parameters:
    ///   - locale: the locale variables the guide gets.
    ///   - environment: added to a minimal environment of PATH and HOME (and the locale).
    ///   - home: the HOME to use; without it a fresh empty directory is made and removed by `stop()`.
    static func start(arguments: [String] = [], locale: [String: String] = ["LANG": "C.UTF-8"],
                      environment: [String: String] = [:], home: URL? = nil) throws -> GuidePane {
        let binary = GuideFiles.root.appendingPathComponent(".build/debug/klonopin-guide").path
        try #require(FileManager.default.isExecutableFile(atPath: binary),
                     "the guide is not built at \(binary): run 'swift build --build-tests' (or 'make test') first")
        let tmux = try #require(
            findTmux(),
            """
            tmux is not installed, so the terminal tests cannot run: 'make test' installs it \
            (scripts/install-deps.sh --test), or run 'apt-get install tmux'
            """)
        let ownedHome = home == nil ? try TemporaryDirectory() : nil
        let homePath = (home ?? ownedHome!.url).path

        // The tmux server, and so the pane, gets exactly this environment; tmux itself adds TERM and TMUX.
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let paneEnvironment = ["PATH": path, "HOME": homePath]
            .merging(locale) { _, new in new }
            .merging(environment) { _, new in new }
        let pane = GuidePane(tmux: tmux, home: ownedHome,
                             clientEnvironment: ["PATH": path, "HOME": homePath, "LANG": "C.UTF-8"])
        do {
            try pane.run(["-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "40",
                          "-c", GuideFiles.root.path, "/bin/sh", "-c", wrapper, binary] + arguments,
                         environment: paneEnvironment)
            pane.paneTTY = try pane.run(["display-message", "-p", "#{pane_tty}"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            pane.stop()
            throw error
        }
        return pane
    }

    private init(tmux: String, home: TemporaryDirectory?, clientEnvironment: [String: String]) {
        self.tmux = tmux
        self.ownedHome = home
        self.clientEnvironment = clientEnvironment
    }

    deinit {
        stop()
    }

    /// Kills the tmux server (and with it the guide) and removes the HOME made for this pane.
    func stop() {
        guard !stopped else { return }
        stopped = true
        _ = try? run(["kill-server"])
        // tmux leaves its socket behind; without TMUX_TMPDIR it is in /tmp/tmux-<uid>.
        unlink("/tmp/tmux-\(getuid())/\(socket)")
        ownedHome?.remove()
    }

    /// Types `text` as it is (`send-keys -l`).
    func type(_ text: String) throws {
        try run(["send-keys", "-l", text])
    }

    /// Presses keys by their tmux names: Enter, Tab, Up, BSpace, C-c, C-d.
    func press(_ keys: String...) throws {
        try run(["send-keys"] + keys)
    }

    /// The cursor, the visible pane and the whole transcript, read in one tmux command list so they agree:
    /// the server runs the list through without reading the pane in between.
    func screen() throws -> Screen {
        let separator = "==kg-test: the transcript follows=="
        let output = try run(["display-message", "-p", "#{cursor_x} #{cursor_y}", ";", "capture-pane", "-p", ";",
                              "display-message", "-p", separator, ";", "capture-pane", "-p", "-J", "-S", "-"])
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmed }
        let cursor = lines.removeFirst().split(separator: " ").compactMap { Int($0) }
        guard cursor.count == 2, let middle = lines.firstIndex(of: separator) else {
            throw TmuxFailure(arguments: ["capture-pane"], status: 0, output: output)
        }
        var transcript = Array(lines[(middle + 1)...])
        while transcript.last == "" { transcript.removeLast() }
        return Screen(lines: Array(lines[..<middle]), cursorX: cursor[0], cursorY: cursor[1],
                      transcript: transcript, rawMode: terminalIsRaw())
    }

    /// Whether the pane's terminal is out of canonical mode, as libedit sets it while it reads keys.
    private func terminalIsRaw() -> Bool {
        #if canImport(Glibc)
            let fd = open(paneTTY, O_RDONLY | O_NOCTTY | O_NONBLOCK)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var modes = termios()
            guard tcgetattr(fd, &modes) == 0 else { return false }
            return modes.c_lflag & tcflag_t(ICANON) == 0
        #else
            return false
        #endif
    }

    /// Everything the pane showed since it started (see `Screen.transcript`).
    func transcript() throws -> [String] {
        try screen().transcript
    }

    /// What the wrapper printed after the guide ended, or nil while the guide runs.
    static func exitReport(in screen: Screen) -> ExitReport? {
        let text = screen.transcript.joined(separator: "\n")
        guard let status = Self.value(after: "guide-exit-status=", in: text),
              let terminal = Self.value(after: "tty-after-exit=", in: text),
              let start = text.range(of: "stty-after-exit: "),
              let end = text.range(of: " :end", range: start.upperBound..<text.endIndex) else { return nil }
        return ExitReport(status: status, terminal: terminal,
                          modes: TerminalModes(stty: String(text[start.upperBound..<end.lowerBound])))
    }

    func hasExited() throws -> Bool {
        try transcript().contains { $0.hasPrefix("guide-exit-status=") }
    }

    /// Polls the screen until `probe` gives a value; throws, showing the screen, when `timeout` passes.
    @discardableResult
    func waitFor<Value>(_ what: String, timeout: Duration = GuidePane.timeout,
                        _ probe: (Screen) throws -> Value?) async throws -> Value {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last = try screen()
        while true {
            if let value = try probe(last) { return value }
            if let exit = Self.exitReport(in: last) {
                throw TerminalTimeout(waitingFor: what, seconds: 0, screen: last.text, exitStatus: exit.status)
            }
            if clock.now >= deadline {
                let seconds = Double(timeout.components.seconds)
                throw TerminalTimeout(waitingFor: what, seconds: seconds, screen: last.text)
            }
            try await Task.sleep(for: Self.pollInterval)
            last = try screen()
        }
    }

    /// Waits until the line holding the cursor is exactly `line`.
    @discardableResult
    func waitForCursorLine(_ line: String) async throws -> Screen {
        try await waitFor("the cursor's line to read '\(line)'") { screen in
            screen.cursorLine == line.trimmed ? screen : nil
        }
    }

    /// Waits for the guide's first prompt; returns it with its trailing space.
    func waitForPrompt() async throws -> String {
        try #require(GuideFiles.prompts.count == 2, "ui.txt must give the messages 'prompt' and 'flow-prompt'")
        return try await waitFor("the guide's prompt") { $0.barePrompt }
    }

    /// Waits until `title` was shown `count` times and the guide prompts again; returns the new prompt.
    func waitForAnswer(title: String, count: Int) async throws -> String {
        try await waitFor("'\(title)' shown \(count) time(s), then a prompt") { screen in
            guard let prompt = screen.barePrompt else { return nil }
            return screen.transcript.filter { $0 == title }.count == count ? prompt : nil
        }
    }

    /// Runs one tmux command and returns what it printed.
    @discardableResult
    private func run(_ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let result = try Spawn.run(tmux, ["-L", socket] + arguments, environment: environment ?? clientEnvironment)
        guard result.status == 0 else {
            throw TmuxFailure(arguments: arguments, status: result.status, output: result.output)
        }
        return result.output
    }

    private static func findTmux() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init)
            + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
        return directories.map { $0 + "/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func value(after marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker) else { return nil }
        return String(text[range.upperBound...].prefix { !$0.isNewline })
    }
}

/// Runs a program and collects its output, without Foundation's `Process`.
///
/// `tmux new-session` forks the tmux server, which keeps every descriptor and the signal mask it inherits.
/// `Process` hands its children a socket whose closing tells it the child ended (the long-lived server would
/// hold it open, so `waitUntilExit` never returns), and a test's thread blocks most signals (the server would
/// never see SIGCHLD or SIGTERM, and `kill-server` would hang). So the child gets an empty signal mask,
/// default signal handlers, and no descriptor but its standard three.
private enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ program: String, _ arguments: [String],
                    environment: [String: String]) throws -> (status: Int32, output: String) {
        #if canImport(Glibc)
            var pipe: [Int32] = [-1, -1]
            guard Glibc.pipe(&pipe) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
            // Never leak these into a child another test starts meanwhile.
            _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
            var readEnd = pipe[0]
            defer { if readEnd >= 0 { close(readEnd) } }

            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
            // Close every other descriptor (glibc ignores the ones closed meanwhile).
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for fd in open.compactMap({ Int32($0) }) where fd > 2 {
                posix_spawn_file_actions_addclose(&actions, fd)
            }

            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var noSignals = sigset_t()
            sigemptyset(&noSignals)
            var allSignals = sigset_t()
            sigfillset(&allSignals)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            posix_spawnattr_setsigdefault(&attributes, &allSignals)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

            let argv = ([program] + arguments).map { strdup($0) } + [nil]
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                argv.forEach { free($0) }
                envp.forEach { free($0) }
            }
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
            close(pipe[1])
            guard spawned == 0 else { throw Failure(description: "cannot start \(program): errno \(spawned)") }

            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(readEnd, &buffer, buffer.count)
                if count > 0 {
                    output += buffer[0..<count]
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            close(readEnd)
            readEnd = -1

            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 {
                guard errno == EINTR else { throw Failure(description: "waitpid: errno \(errno)") }
            }
            // Exited: the status is in bits 8-15; killed by a signal: 128 + the signal, as a shell says.
            let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return (exitStatus, String(decoding: output, as: UTF8.self))
        #else
            throw Failure(description: "the terminal tests start tmux with glibc's posix_spawn; port Spawn.run first")
        #endif
    }
}

/// An empty directory under the system's temporary directory.
private final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kg-pty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

// MARK: - What the content bundle says

/// Facts read from the repository's `Content/en`, so the tests follow the content.
private enum GuideFiles {
    /// The repository root: three levels above this file.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let content = root.appendingPathComponent("Content/en")

    /// Waits until no file of the bundle changed in the last three seconds: the guide keeps no stamp of files that
    /// changed in the last two (a checkout or an edit just before the tests).
    static func waitUntilContentSettled() {
        let folders = [content, content.appendingPathComponent("topics"), content.appendingPathComponent("flows")]
        var newest = 0
        for folder in folders {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                var info = stat()
                if lstat(folder.appendingPathComponent(name).path, &info) == 0 {
                    newest = max(newest, Int(info.st_ctim.tv_sec), Int(info.st_mtim.tv_sec))
                }
            }
        }
        let wait = newest + 3 - Int(time(nil))
        if wait > 0 { sleep(UInt32(wait)) }
    }

    /// A topic's title and its first example question.
    static func topic(_ id: String) throws -> (title: String, question: String) {
        let text = try String(contentsOf: content.appendingPathComponent("topics/\(id).txt"), encoding: .utf8)
        let title = try #require(field("title", in: text), "topics/\(id).txt has no title")
        let question = try #require(field("ask", in: text), "topics/\(id).txt has no ask: line")
        return (title, question)
    }

    static func topicTitles() throws -> [String] {
        try topicFiles().compactMap { field("title", in: try String(contentsOf: $0, encoding: .utf8)) }
    }

    /// The first paragraph of a message in `ui.txt`, without `**` markup, as the guide prints it.
    static func message(_ name: String) throws -> String {
        let text = try String(contentsOf: content.appendingPathComponent("ui.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "== \(name)"), "ui.txt has no message '\(name)'")
        var paragraph: [String] = []
        for line in lines[(start + 1)...] {
            if line.hasPrefix("== ") { break }
            if line.hasPrefix("//") { continue }
            if line.trimmed.isEmpty {
                if paragraph.isEmpty { continue } else { break }
            }
            paragraph.append(line.trimmed)
        }
        return paragraph.joined(separator: " ").replacingOccurrences(of: "**", with: "")
    }

    /// The two prompts, each with the space the guide adds.
    static let prompts: [String] = ["flow-prompt", "prompt"].compactMap { try? message($0) + " " }

    /// Every word Tab completes: reserved words, flow words and topic ids.
    static func completionWords() throws -> [String] {
        let reserved = ["help", "topics", "menu", "back", "repeat", "sources", "sos", "quit", "exit", "why", "forget"]
        let flows = try FileManager.default.contentsOfDirectory(at: content.appendingPathComponent("flows"),
                                                                includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
            .flatMap { file in
                (field("words", in: try String(contentsOf: file, encoding: .utf8)) ?? "")
                    .split(separator: ",").map { $0.trimmed.lowercased() }
            }
        let topics = try topicFiles().compactMap { field("id", in: try String(contentsOf: $0, encoding: .utf8)) }
        return Array(Set(reserved + flows + topics))
    }

    static func commonPrefix(_ words: [String]) -> String? {
        guard var prefix = words.first else { return nil }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    static func firstSentence(of text: String) -> String {
        guard let end = text.range(of: ". ") else { return text }
        return String(text[..<end.lowerBound]) + "."
    }

    /// The columns `text` takes at a terminal: two for an emoji, one for anything else here.
    static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.properties.isEmojiPresentation ? 2 : 1) }
    }

    static func permissions(_ path: String) -> Int? {
        guard let value = try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] else { return nil }
        if let number = value as? NSNumber { return number.intValue & 0o777 }
        return (value as? Int).map { $0 & 0o777 }
    }

    /// The lines of a libedit history file: after the `_HiStOrY_V2_` cookie, with `\040`-style escapes undone.
    static func historyEntries(_ data: Data) -> [String] {
        var lines = data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
        if let first = lines.first, String(decoding: first, as: UTF8.self) == "_HiStOrY_V2_" {
            lines.removeFirst()
        }
        return lines.map(unvis)
    }

    private static func unvis(_ bytes: [UInt8]) -> String {
        let backslash = UInt8(ascii: "\\")
        let octal = UInt8(ascii: "0")...UInt8(ascii: "7")
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == backslash, index + 3 < bytes.count,
               bytes[(index + 1)...(index + 3)].allSatisfy(octal.contains) {
                result.append(bytes[(index + 1)...(index + 3)].reduce(0) { $0 &* 8 &+ ($1 - UInt8(ascii: "0")) })
                index += 4
            } else if bytes[index] == backslash, index + 1 < bytes.count {
                result.append(bytes[index + 1])
                index += 2
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func topicFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: content.appendingPathComponent("topics"),
                                                    includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
    }

    /// The value of the first `name: value` line.
    private static func field(_ name: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ": ") {
            return String(line.dropFirst(name.count + 2)).trimmed
        }
        return nil
    }
}

private extension StringProtocol {
    /// Without spaces and tabs at the end.
    var trimmed: String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
