import GuideContent
import GuideCore
import Testing

/// Whole transitions of an education session, on the course fixture.
@Suite("Conversation: the education session")
struct ConversationCourseTests {
    let conversation = Conversation(guide: TestGuide.course, today: TestGuide.today)
    typealias State = Conversation.State

    static let agenda: [Block] = [.heading("The course"), .paragraph("AGENDA."),
                                  .choices(["First step", "Second step", "Third step"])]
    static let stepOne: [Block] = [.heading("Step 1/3: First step"), .paragraph("Step one."),
                                   .paragraph("Related: sleep"), .paragraph("STEP-HINT.")]
    static let stepTwo: [Block] = [.heading("Step 2/3: Second step"), .paragraph("Ask these:"),
                                   .bullets(["Question A?", "Question B?"]), .paragraph("STEP-HINT.")]
    static let stepThree: [Block] = [.heading("Step 3/3: Third step"), .paragraph("Step three."),
                                     .paragraph("**Help Line**"), .bullets(["Call: 555-0100", "Hours: Always"]),
                                     .paragraph("LAST-STEP.")]

    /// A session state on step `step`, with the steps covered.
    func session(step: Int, covered: Set<Int>, suggested: [String] = []) -> Conversation.CourseProgress {
        var course = Conversation.CourseProgress()
        course.step = step
        course.covered = covered
        course.suggested = suggested
        return course
    }

    @Test("Starting a session shows its welcome, the agenda and how to begin")
    func start() {
        let (state, effects) = conversation.reduce(State(), .sessionStarted)
        var expected = State()
        expected.mode = .inStep
        expected.course = Conversation.CourseProgress()
        expected.lastShown = [.paragraph("SESSION-WELCOME.")] + Self.agenda + [.paragraph("BEGIN.")]
        #expect(state == expected)
        #expect(effects == [.say(expected.lastShown)])
    }

    @Test("next, back, go N and a bare number move between steps; the last step says so")
    func moving() {
        var (state, effects) = conversation.runSession(["next"])
        #expect(effects == [.say(Self.stepOne)])
        #expect(state.course == session(step: 1, covered: [1]))
        #expect(state.lastSources == ["SRC-A"])
        #expect(state.mode == .inStep)

        (state, effects) = conversation.reduce(state, .lineEntered("go 3"))
        #expect(effects == [.say(Self.stepThree)])
        #expect(state.course == session(step: 3, covered: [1, 3]))

        (state, effects) = conversation.reduce(state, .lineEntered("next"))
        #expect(effects == [.say([.paragraph("LAST-STEP.")])])
        #expect(state.course == session(step: 3, covered: [1, 3]))

        (state, effects) = conversation.reduce(state, .lineEntered("back"))
        #expect(effects == [.say(Self.stepTwo)])
        #expect(state.course == session(step: 2, covered: [1, 2, 3], suggested: ["Question A?", "Question B?"]))

        (state, effects) = conversation.reduce(state, .lineEntered("1"))
        #expect(effects == [.say(Self.stepOne)])
        (state, effects) = conversation.reduce(state, .lineEntered("back"))
        #expect(effects == [.say([.paragraph("FLOW-FIRST-STEP.")])])
        #expect(state.course == session(step: 1, covered: [1, 2, 3], suggested: ["Question A?", "Question B?"]))
    }

    @Test("go 99, go 0 and a bare 9 leave the session where it was")
    func noSuchStep() {
        let (before, _) = conversation.runSession(["next"])
        for line in ["go 99", "go 0", "go", "9", "step 4"] {
            let (after, effects) = conversation.reduce(before, .lineEntered(line))
            #expect(effects == [.say([.paragraph("NO-STEP 3.")])], "\(line)")
            #expect(after == before, "\(line)")
        }
    }

    @Test("agenda, repeat and sources work on the step; help adds the session's words")
    func stepWords() {
        let (before, _) = conversation.runSession(["go 2"])
        #expect(conversation.reduce(before, .lineEntered("agenda")).1
            == [.say(Self.agenda + [.paragraph("RESUME 2/3 Second step.")])])
        #expect(conversation.reduce(before, .lineEntered("repeat")).1 == [.say(Self.stepTwo)])
        #expect(conversation.reduce(before, .lineEntered("sources")).1
            == [.say([.paragraph("SOURCES."), .bullets(["SRC-B: Source B. 2024"])])])
        #expect(conversation.reduce(before, .lineEntered("help")).1
            == [.say([.paragraph("HELP."), .paragraph("SESSION-HELP.")])])
        let (start, _) = conversation.runSession([])
        #expect(conversation.reduce(start, .lineEntered("sources")).1 == [.say([.paragraph("NO-SOURCES.")])])
        #expect(conversation.reduce(start, .lineEntered("back")).1 == [.say([.paragraph("FLOW-FIRST-STEP.")])])
    }

    @Test("A question in the middle is answered, then the session says where it is; nothing is lost")
    func questionInBetween() {
        let (before, _) = conversation.runSession(["go 2"])
        let (after, effects) = conversation.reduce(before, .lineEntered("i cant sleep at night"))
        #expect(effects == [.say([
            .heading("Why can't I sleep?"), .paragraph("Sleep is often **hard** in withdrawal."),
            .bullets(["Keep a routine.", "Ask your prescriber."]), .bullets(["**Help Line**: Call 555-0100"]),
            .paragraph("Related: timeline"), .paragraph("RESUME 2/3 Second step."),
        ])])
        #expect(after.mode == .inStep)
        #expect(after.course == before.course)
        #expect(conversation.reduce(after, .lineEntered("next")).1 == [.say(Self.stepThree)])
    }

    @Test("A flow started in a session runs as usual, and its end goes back to the session")
    func flowInSession() {
        let (inFlow, _) = conversation.runSession(["go 1", "tour"])
        #expect(inFlow.mode == .inFlow)
        // Inside the flow, back is the flow's own back.
        let (second, _) = conversation.reduce(inFlow, .lineEntered("1"))
        #expect(conversation.reduce(second, .lineEntered("back")).0.flow?.node == "one")
        let (ended, effects) = conversation.reduce(inFlow, .lineEntered("2"))
        #expect(effects == [.say([.paragraph("FLOW-END."), .paragraph("RESUME 1/3 First step.")])])
        #expect(ended.mode == .inStep)
        #expect(ended.flow == nil)
    }

    @Test("After a crisis in a session, 'go on' goes back to the step, not to the menu")
    func crisisThenCarryOn() {
        let (crisis, effects) = conversation.runSession(["go 2", "i want to die"])
        #expect(effects == [.say([.heading("Thoughts of suicide"), .paragraph("Call or text 988."),
                                  .paragraph("AFTER-CRISIS."), .choices(["Numbers again", "Go on"])])])
        #expect(crisis.mode == .afterCrisis([.sos, .carryOn]))
        let (after, carryOn) = conversation.reduce(crisis, .lineEntered("2"))
        #expect(carryOn == [.say([.paragraph("RESUME 2/3 Second step.")])])
        #expect(after.mode == .inStep)
        #expect(after.course == crisis.course)
    }
}
