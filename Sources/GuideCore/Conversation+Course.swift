import GuideContent

/// The education session (`klonopin-guide session`): the steps of `session.txt`, an agenda, moving between
/// steps, and questions answered in between without losing the place.
extension Conversation {
    /// Where an education session is, and what it has gathered. It lives in memory only; `reset` clears it.
    public struct CourseProgress: Hashable, Sendable {
        /// The step on screen, from 1; 0 before the first step.
        public var step = 0
        /// The steps shown at least once, by number.
        public var covered: Set<Int> = []
        /// The quiz on screen, if one is being taken.
        public var quiz: QuizProgress?
        /// Right answers in the quiz taken before the steps, and after them.
        public var scoreBefore: Int?
        public var scoreAfter: Int?
        /// Questions to ask the prescriber from the guide (steps and flow nodes with `collect: questions`), in the
        /// order first shown.
        public var suggested: [String] = []
        /// The person's own questions, added with `note`: only ever printed in the handout, as their own words.
        public var notes: [String] = []

        public init() {}

        /// Keeps the guide's questions not kept yet.
        mutating func suggest(_ questions: [String]) {
            for question in questions where !suggested.contains(question) { suggested.append(question) }
        }
    }

    /// A quiz being taken.
    public struct QuizProgress: Hashable, Sendable {
        /// Before the steps (what the person knows now) or after them (what they learned).
        public enum Phase: Hashable, Sendable { case before, after }

        public var phase: Phase
        /// The question on screen, from 0.
        public var question = 0
        /// Right answers so far.
        public var right = 0

        public init(phase: Phase, question: Int = 0, right: Int = 0) {
            self.phase = phase
            self.question = question
            self.right = right
        }
    }

    /// Opens the session: its welcome, the agenda, and how to begin.
    func startCourse(_ state: inout State, _ output: inout Output) {
        guard let plan = bundle.course else {
            state.mode = .ready
            showMenu(&state, &output, welcome: true)
            return
        }
        state.course = CourseProgress()
        output.say(messages.blocks("session-welcome") + agendaBlocks(plan) + messages.blocks("session-begin"))
        output.sources = []
        state.mode = .inStep
    }

    /// The session's words, and numbers on a step. Returns false when the line is not for the session.
    func handleCourseLine(_ text: String, _ state: inout State, _ output: inout Output) -> Bool {
        guard let plan = bundle.course, state.course != nil else { return false }
        let onStep = state.mode == .inStep
        if state.mode == .inQuiz, handleQuizLine(text, &state, &output) { return true }
        if let word = CourseWord(text) {
            switch word {
            case .quiz:
                startQuiz(&state, &output)
            case .next:
                let step = state.course!.step
                if step < plan.steps.count {
                    showStep(step + 1, &state, &output)
                } else {
                    output.say(messages.blocks("session-last-step"), remember: false)
                    state.mode = .inStep
                }
            case .agenda:
                output.say(agendaBlocks(plan) + resumeBlocks(state))
                state.mode = .inStep
            case .go(let number):
                goToStep(number, &state, &output)
            case .note(let text):
                if text.isEmpty {
                    output.say(messages.blocks("note-empty"), remember: false)
                } else {
                    // Kept as typed for the handout; never shown back as the guide's words.
                    state.course!.notes.append(text)
                    output.say(messages.blocks("note-added", ["count": String(state.course!.notes.count)]),
                               remember: false)
                }
                if state.mode == .inQuiz { output.say(questionBlocks(state), remember: false) }
            case .handout(let path):
                let path = path.isEmpty ? Handout.defaultPath : path
                if let format = Handout.Format(path: path) {
                    output.extra.append(.writeHandout(handout(state), path: path, format: format))
                } else {
                    output.say(messages.blocks("handout-format"), remember: false)
                }
            case .reset:
                let transcript = state.transcript
                state = State()
                output.say(messages.blocks("reset-done")
                           + (transcript.map { messages.blocks("transcript-stopped", ["path": $0]) } ?? []),
                           remember: false)
                output.extra.append(.reset)
                startCourse(&state, &output)
            }
            return true
        }
        if let command = guide.command(text) {
            switch command {
            case .help:
                output.say(messages.blocks("help") + messages.blocks("session-help"))
            case .back where onStep:
                let step = state.course!.step
                if step > 1 {
                    showStep(step - 1, &state, &output)
                } else {
                    output.say(messages.blocks("flow-first-step"), remember: false)
                }
            case .repeat where onStep:
                if state.course!.step == 0 {
                    output.say(agendaBlocks(plan) + messages.blocks("session-begin"))
                } else {
                    showStep(state.course!.step, &state, &output)
                }
            case .sources where onStep:
                let step = state.course!.step
                let citations = step == 0 ? [] : guide.citationBlocks(plan.steps[step - 1].sources)
                output.say(citations.isEmpty ? messages.blocks("no-sources") : messages.blocks("sources") + citations,
                           remember: false)
            default:
                return false
            }
            return true
        }
        // On a step, a bare number goes to that step (the agenda is numbered).
        if onStep, let number = phrases.number(in: TextNormalizer.words(text)) {
            goToStep(number, &state, &output)
            return true
        }
        return false
    }

    func goToStep(_ number: Int?, _ state: inout State, _ output: inout Output) {
        let count = bundle.course?.steps.count ?? 0
        guard let number, number >= 1, number <= count else {
            output.say(messages.blocks("session-no-step", ["count": String(count)]), remember: false)
            return
        }
        showStep(number, &state, &output)
    }

    /// Shows step `number` (from 1) and moves the session there.
    func showStep(_ number: Int, _ state: inout State, _ output: inout Output) {
        guard let plan = bundle.course, state.course != nil else { return }
        let step = plan.steps[number - 1]
        let count = plan.steps.count
        var blocks: [Block] = [
            .heading(messages.line("session-step", ["number": String(number), "count": String(count),
                                                    "title": step.title]))
        ]
        blocks += step.body
        for resource in bundle.resources(step.resources) { blocks += guide.resourceBlocks(resource) }
        if !step.see.isEmpty { blocks += messages.blocks("related", ["topics": step.see.joined(separator: ", ")]) }
        blocks += messages.blocks(number == count ? "session-last-step" : "session-step-hint")
        output.say(blocks)
        output.sources = step.sources
        state.course!.step = number
        state.course!.covered.insert(number)
        state.course!.suggest(step.questions)
        state.flow = nil
        state.mode = .inStep
    }

    /// The session's title and its steps, numbered, with how to pick one.
    func agendaBlocks(_ plan: Course) -> [Block] {
        [.heading(plan.title)] + messages.blocks("session-agenda") + [.choices(plan.steps.map(\.title))]
    }

    /// Where the session stands, in one line.
    func resumeBlocks(_ state: State) -> [Block] {
        guard let plan = bundle.course, let course = state.course else { return [] }
        guard course.step > 0 else { return messages.blocks("session-begin") }
        return messages.blocks("session-resume", [
            "number": String(course.step), "count": String(plan.steps.count), "title": plan.steps[course.step - 1].title,
        ])
    }

    /// After a line in a session: when nothing else holds the person (no flow, no list), back to the session.
    func afterCourseLine(_ state: inout State, _ output: inout Output) {
        if let position = state.flow, let node = bundle.flow(position.flow)?.node(position.node) {
            state.course?.suggest(node.questions)
        }
        guard state.mode == .ready, state.flow == nil else { return }
        if state.course?.quiz != nil {
            output.say(messages.blocks("quiz-resume") + questionBlocks(state), remember: false)
            state.mode = .inQuiz
        } else {
            output.say(resumeBlocks(state), remember: false)
            state.mode = .inStep
        }
    }
}
