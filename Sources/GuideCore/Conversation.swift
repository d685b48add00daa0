import GuideContent

/// The conversation as a pure state machine: `reduce(state, event)` gives the next state and the effects
/// to perform. No I/O, no clock, no globals; the `Session` performs the effects.
public struct Conversation: Sendable {
    /// Something that happened at the prompt.
    public enum Event: Hashable, Sendable {
        /// The guide has started: show the welcome.
        case started
        /// The person typed a line and pressed Enter.
        case lineEntered(String)
        /// Ctrl-C: the line being typed was discarded.
        case interrupted
        /// Ctrl-D, or the end of piped input.
        case endOfInput
        /// The session tried to erase the history after `forgetHistory`; `erased` says whether it could.
        case historyForgotten(erased: Bool)
        /// An education session has started (`klonopin-guide session`): show its welcome and agenda.
        case sessionStarted
        /// The handout was written; `path` is where, in full.
        case handoutWritten(path: String)
        /// The handout could not be written to `path`, for `reason`.
        case handoutFailed(path: String, reason: String)
        /// A transcript of the conversation is being written to `path`.
        case transcriptStarted(path: String)
    }

    /// Something the session must do.
    public enum Effect: Hashable, Sendable {
        /// Show these blocks.
        case say([Block])
        /// Erase the line history, in memory and on disk.
        case forgetHistory
        /// End the program with this status.
        case exit(Int32)
        /// Write the handout to `path` (as the person typed it), in `format`; report back with `handoutWritten`
        /// or `handoutFailed`.
        case writeHandout(Handout, path: String, format: Handout.Format)
        /// Forget everything outside the state machine too: the line history in memory, and close the transcript.
        case reset
    }

    /// What a number picks from a numbered list on screen.
    public enum Pick: Hashable, Sendable {
        /// Show a topic.
        case topic(String)
        /// Start a flow.
        case flow(String)
        /// Show the list of all topics.
        case topicList
        /// Show the emergency guidance again.
        case sos
        /// Leave the list and go on.
        case carryOn
    }

    /// Where the person is in a flow.
    public struct FlowPosition: Hashable, Sendable {
        public var flow: String
        public var node: String
        /// The nodes visited before this one, for `back`.
        public var trail: [String]

        public init(flow: String, node: String, trail: [String]) {
            self.flow = flow
            self.node = node
            self.trail = trail
        }
    }

    /// What the guide is waiting for.
    public enum Mode: Hashable, Sendable {
        /// The welcome has not been shown yet.
        case notStarted
        /// Waiting for a question or a reserved word.
        case ready
        /// A numbered list is on screen (menu, topics, "did you mean"); a number picks from it.
        case choosing([Pick])
        /// Inside a flow node: a number picks one of the node's choices.
        case inFlow
        /// Just after emergency guidance: a number picks a next step; "no" keeps help one word away.
        case afterCrisis([Pick])
        /// In an education session, on a step (or before the first one): `next`, `back`, `go N` move.
        case inStep
        /// In an education session, a quiz question is on screen: a number answers it.
        case inQuiz
        /// The conversation is over.
        case ended
    }

    /// Everything the conversation remembers. It lives in memory only.
    public struct State: Hashable, Sendable {
        public var mode: Mode = .notStarted
        /// The flow in progress, kept while questions are answered in between.
        public var flow: FlowPosition?
        /// What was shown last, for `repeat`.
        public var lastShown: [Block] = []
        /// The source keys behind what was shown last, for `sources`.
        public var lastSources: [String] = []
        /// The last topic answered.
        public var lastTopic: String?
        /// How the last free-text question was matched, for `why`.
        public var lastExplanation: Matcher.Explanation?
        /// What the crisis screen found in the last line, when it fired, for `why`.
        public var lastFinding: SafetyScreen.Finding?
        /// True once emergency guidance has been shown: the goodbye then repeats the crisis numbers.
        public var crisisShown = false
        /// The education session in progress, with what it gathered; nil outside `klonopin-guide session`.
        public var course: CourseProgress?
        /// Where a transcript is being written (`--transcript`), until `reset` closes it.
        public var transcript: String?

        public init() {}
    }

    public let guide: Guide
    /// The date printed on handouts: given, so that `reduce` reads no clock.
    public let today: SimpleDate

    /// Whole-line phrases of `ui.txt` (number words, small talk, dismissals), read once, at the first line: the
    /// welcome does not need them, and the first prompt comes sooner without them.
    private let readPhrases: Deferred<Phrases>
    var phrases: Phrases { readPhrases.value }

    public init(guide: Guide, today: SimpleDate = .today()) {
        self.guide = guide
        self.today = today
        let messages = guide.messages
        readPhrases = Deferred(later: { Phrases(messages) })
    }

    var bundle: ContentBundle { guide.bundle }
    var messages: Messages { guide.messages }

    /// The pure transition function.
    public func reduce(_ state: State, _ event: Event) -> (State, [Effect]) {
        var state = state
        var output = Output()
        switch (state.mode, event) {
        case (.ended, _):
            return (state, [])
        case (_, .started):
            state.mode = .ready
            showMenu(&state, &output, welcome: true)
        case (_, .interrupted):
            output.say(messages.blocks("interrupted"), remember: false)
        case (_, .endOfInput):
            quit(&state, &output)
        case (_, .historyForgotten(let erased)):
            output.say(messages.blocks(erased ? "history-forgotten" : "history-error"), remember: false)
        case (_, .lineEntered(let raw)):
            handleLine(raw, &state, &output)
            if state.course != nil { afterCourseLine(&state, &output) }
        case (_, .sessionStarted):
            startCourse(&state, &output)
        case (_, .handoutWritten(let path)):
            output.say(messages.blocks("handout-written", ["path": path]), remember: false)
        case (_, .handoutFailed(let path, let reason)):
            output.say(messages.blocks("handout-error", ["path": path, "reason": reason]), remember: false)
        case (_, .transcriptStarted(let path)):
            state.transcript = path
            output.say(messages.blocks("transcript-started", ["path": path]), remember: false)
        }
        let effects = output.effects(updating: &state)
        return (state, effects)
    }

    /// The prompt to show for a state.
    public func prompt(_ state: State) -> String {
        switch state.mode {
        case .inFlow, .choosing, .afterCrisis, .inQuiz: return messages.line("flow-prompt")
        case .inStep: return messages.line("session-prompt")
        default: return messages.line("prompt")
        }
    }

    /// Everything a person can type that Tab should complete.
    public var completions: [String] {
        var words = Command.words
        for flow in bundle.flows.values { words += flow.words }
        words += bundle.shelf.ids
        return Array(Set(words)).sorted()
    }
}

/// The effects one transition collects.
struct Output {
    var blocks: [Block] = []
    var extra: [Conversation.Effect] = []
    var remember = true
    var sources: [String]?

    mutating func say(_ more: [Block], remember: Bool = true) {
        blocks += more
        if !remember { self.remember = false }
    }

    func effects(updating state: inout Conversation.State) -> [Conversation.Effect] {
        if remember && !blocks.isEmpty { state.lastShown = blocks }
        if let sources { state.lastSources = sources }
        var effects: [Conversation.Effect] = blocks.isEmpty ? [] : [.say(blocks)]
        effects += extra
        return effects
    }
}
