import GuideContent
import GuideCore
import Testing

/// Whole transitions of the knowledge check, on the course fixture (five questions: true, choice 2 of 3, false,
/// choice 1 of 2, true).
@Suite("Conversation: the quiz before and after the session")
struct ConversationQuizTests {
    let conversation = Conversation(guide: TestGuide.course, today: TestGuide.today)
    typealias Progress = Conversation.QuizProgress

    static let q1: [Block] = [.heading("Q1/5"), .paragraph("Sleep is hard in withdrawal."), .choices(["True", "False"])]
    static let q2: [Block] = [.heading("Q2/5"), .paragraph("Which one?"), .choices(["Alpha", "Beta", "Gamma"])]
    static let rightAnswers = ["1", "2", "2", "1", "1"]

    @Test("quiz before any step is the quiz before; each answer is marked, explained and traced to its topic")
    func before() {
        var (state, effects) = conversation.runSession(["quiz"])
        #expect(effects == [.say([.paragraph("QUIZ-BEFORE 5.")] + Self.q1)])
        #expect(state.mode == .inQuiz)
        #expect(state.course?.quiz == Progress(phase: .before))
        #expect(state.lastSources == ["SRC-A"])

        (state, effects) = conversation.reduce(state, .lineEntered("true"))
        #expect(effects == [.say([.paragraph("RIGHT."), .paragraph("WHY-Q1."),
                                  .paragraph("TOPIC Why can't I sleep? sleep.")] + Self.q2)])
        #expect(state.course?.quiz == Progress(phase: .before, question: 1, right: 1))

        (state, effects) = conversation.reduce(state, .lineEntered("3"))
        #expect(effects == [.say([.paragraph("WRONG Beta."), .paragraph("WHY-Q2."),
                                  .paragraph("TOPIC What is a taper? tapering."), .heading("Q3/5"),
                                  .paragraph("It lasts one day."), .choices(["True", "False"])])])
        #expect(state.course?.quiz == Progress(phase: .before, question: 2, right: 1))
        #expect(state.lastSources == ["SRC-B"])
    }

    @Test("The last answer gives the score; the quiz after the steps compares it with the one before")
    func scores() throws {
        // Before: 2 right of 5 (questions 1 and 2).
        let beforeAnswers = ["1", "2", "1", "2", "2"]
        var (state, effects) = conversation.runSession(["quiz"] + beforeAnswers)
        guard case .say(let blocks) = try #require(effects.first) else { return }
        #expect(Array(blocks.suffix(2)) == [.paragraph("SCORE 2/5."), .paragraph("DONE-BEFORE.")])
        #expect(state.course?.scoreBefore == 2)
        #expect(state.course?.quiz == nil)
        #expect(state.mode == .inStep)

        (state, effects) = conversation.reduce(state, .lineEntered("next"))
        (state, effects) = conversation.reduce(state, .lineEntered("quiz"))
        #expect(effects == [.say([.paragraph("QUIZ-AFTER 5.")] + Self.q1)])
        #expect(state.course?.quiz == Progress(phase: .after))
        for answer in Self.rightAnswers { (state, effects) = conversation.reduce(state, .lineEntered(answer)) }
        guard case .say(let last) = try #require(effects.first) else { return }
        #expect(Array(last.suffix(3)) == [.paragraph("SCORE 5/5."), .paragraph("BEFORE 2/5."), .paragraph("DONE-AFTER.")])
        #expect(state.course?.scoreBefore == 2)
        #expect(state.course?.scoreAfter == 5)
        #expect(state.course?.step == 1)
    }

    @Test("A number that is not a choice is refused and the question stays")
    func notAChoice() {
        let (before, _) = conversation.runSession(["quiz", "1"])
        let (after, effects) = conversation.reduce(before, .lineEntered("7"))
        #expect(effects == [.say([.paragraph("Type 1 to 3.")])])
        #expect(after == before)
    }

    @Test("In a quiz: next is refused, repeat and sources are the question's, back stops it without a score")
    func quizWords() {
        let (before, _) = conversation.runSession(["go 2", "quiz", "1"])
        #expect(before.course?.quiz == Progress(phase: .after, question: 1, right: 1))
        for word in ["next", "agenda", "go 3"] {
            let (after, effects) = conversation.reduce(before, .lineEntered(word))
            #expect(effects == [.say([.paragraph("QUIZ-BUSY.")] + Self.q2)], "\(word)")
            #expect(after.course == before.course)
        }
        #expect(conversation.reduce(before, .lineEntered("repeat")).1 == [.say(Self.q2)])
        #expect(conversation.reduce(before, .lineEntered("quiz")).1 == [.say(Self.q2)])
        #expect(conversation.reduce(before, .lineEntered("sources")).1
            == [.say([.paragraph("SOURCES."), .bullets(["SRC-B: Source B. 2024"])])])
        let (stopped, effects) = conversation.reduce(before, .lineEntered("back"))
        #expect(effects == [.say([.paragraph("QUIZ-STOPPED."), .paragraph("RESUME 2/3 Second step.")])])
        #expect(stopped.course?.quiz == nil)
        #expect(stopped.course?.scoreAfter == nil)
        #expect(stopped.mode == .inStep)
    }

    @Test("A question in the middle of the quiz is answered, then the same question is asked again")
    func questionInQuiz() throws {
        let (before, _) = conversation.runSession(["quiz", "1"])
        let (after, effects) = conversation.reduce(before, .lineEntered("i cant sleep at night"))
        guard case .say(let blocks) = try #require(effects.first) else { return }
        #expect(blocks.first == .heading("Why can't I sleep?"))
        #expect(Array(blocks.suffix(4)) == [.paragraph("QUIZ-RESUME.")] + Self.q2)
        #expect(after.mode == .inQuiz)
        #expect(after.course == before.course)
    }
}
