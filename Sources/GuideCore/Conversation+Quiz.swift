import GuideContent

/// The knowledge check of an education session: the questions of `quiz.txt`, before the steps and after them,
/// each answer explained and traced to its topic, and the two scores.
extension Conversation {
    /// Starts the quiz: before the steps when none has been shown and it has not been taken, after them otherwise.
    /// Typed during a quiz, `quiz` shows the question again.
    func startQuiz(_ state: inout State, _ output: inout Output) {
        guard var course = state.course, !bundle.quiz.isEmpty else { return }
        if course.quiz != nil {
            output.say(questionBlocks(state))
            state.mode = .inQuiz
            return
        }
        let phase: QuizProgress.Phase = course.scoreBefore == nil && course.covered.isEmpty ? .before : .after
        course.quiz = QuizProgress(phase: phase)
        state.course = course
        state.flow = nil
        let intro = phase == .before ? "quiz-intro-before" : "quiz-intro-after"
        output.say(messages.blocks(intro, ["count": String(bundle.quiz.count)]) + questionBlocks(state))
        output.sources = bundle.quiz[0].sources
        state.mode = .inQuiz
    }

    /// A line while a question is on screen: an answer, or a session word that has a meaning in the quiz.
    /// Returns false for anything else (a question to answer in between, a reserved word).
    func handleQuizLine(_ text: String, _ state: inout State, _ output: inout Output) -> Bool {
        guard let progress = state.course?.quiz else { return false }
        let item = bundle.quiz[progress.question]
        if let word = CourseWord(text) {
            switch word {
            case .next, .agenda, .go:
                output.say(messages.blocks("quiz-busy") + questionBlocks(state), remember: false)
                return true
            case .quiz, .note, .handout, .reset:
                return false
            }
        }
        if let command = guide.command(text) {
            switch command {
            case .back:
                state.course?.quiz = nil
                state.mode = .inStep
                output.say(messages.blocks("quiz-stopped") + resumeBlocks(state), remember: false)
            case .repeat:
                output.say(questionBlocks(state))
            case .sources:
                output.say(messages.blocks("sources") + guide.citationBlocks(item.sources), remember: false)
            default:
                return false
            }
            return true
        }
        let labels = choiceLabels(item)
        let words = TextNormalizer.words(text)
        if let number = phrases.number(in: words) {
            guard number >= 1 && number <= labels.count else {
                output.say(messages.blocks("not-a-choice", ["count": String(labels.count)]), remember: false)
                return true
            }
            answerQuiz(number, &state, &output)
            return true
        }
        // The words of a choice, typed ("false", "call 911").
        if let index = labels.firstIndex(where: { TextNormalizer.words(Markup.strip($0)) == words }) {
            answerQuiz(index + 1, &state, &output)
            return true
        }
        return false
    }

    /// Marks the answer, explains it, names its topic, then asks the next question or gives the score.
    func answerQuiz(_ choice: Int, _ state: inout State, _ output: inout Output) {
        guard var course = state.course, var progress = course.quiz else { return }
        let item = bundle.quiz[progress.question]
        var blocks: [Block]
        if choice == item.answer {
            progress.right += 1
            blocks = messages.blocks("quiz-right")
        } else {
            blocks = messages.blocks("quiz-wrong", ["answer": choiceLabels(item)[item.answer - 1]])
        }
        blocks += item.explanation
        if let topic = bundle.topic(item.topic) {
            blocks += messages.blocks("quiz-topic", ["title": topic.title, "id": topic.id])
        }
        output.sources = item.sources
        progress.question += 1
        let count = bundle.quiz.count
        if progress.question < count {
            course.quiz = progress
            state.course = course
            output.say(blocks + questionBlocks(state))
            return
        }
        // The last question: the score, and the one before the session to compare with.
        course.quiz = nil
        blocks += messages.blocks("quiz-score", ["score": String(progress.right), "count": String(count)])
        switch progress.phase {
        case .before:
            course.scoreBefore = progress.right
            blocks += messages.blocks("quiz-done-before")
        case .after:
            course.scoreAfter = progress.right
            if let before = course.scoreBefore {
                blocks += messages.blocks("quiz-compare", ["before": String(before), "count": String(count)])
            }
            blocks += messages.blocks("quiz-done-after")
        }
        state.course = course
        state.mode = .inStep
        output.say(blocks)
    }

    /// The question on screen, numbered, with its choices.
    func questionBlocks(_ state: State) -> [Block] {
        guard let progress = state.course?.quiz else { return [] }
        let item = bundle.quiz[progress.question]
        let number = ["number": String(progress.question + 1), "count": String(bundle.quiz.count)]
        return [.heading(messages.line("quiz-question", number)), .paragraph(item.question),
                .choices(choiceLabels(item))]
    }

    /// A question's choices, or the true and false labels of `ui.txt`.
    func choiceLabels(_ item: QuizItem) -> [String] {
        item.choices ?? ["true", "false"].map { messages.field("quiz-labels", $0) ?? $0 }
    }
}
