/// The education session of a bundle, read from `session.txt`: a title, the help list for the handout, and the
/// steps a presenter walks through, in order.
public struct Course: Hashable, Sendable {
    public var title: String
    /// Resource ids listed under "where to get help" in the handout (after the clinic's own).
    public var resources: [String]
    /// The steps, in file order.
    public var steps: [CourseStep]
    public var file: String

    public init(title: String, resources: [String], steps: [CourseStep], file: String) {
        self.title = title
        self.resources = resources
        self.steps = steps
        self.file = file
    }
}

/// One step of the education session: a `== name` section of `session.txt`.
public struct CourseStep: Hashable, Sendable, Identifiable {
    public var id: String
    public var title: String
    /// One line for the handout: what the step teaches.
    public var summary: String
    public var sources: [String]
    /// Related topic ids, offered after the step.
    public var see: [String]
    /// Resource ids shown after the text as full cards.
    public var resources: [String]
    public var body: [Block]
    /// With `collect: questions`: the step's bullets, questions to ask the prescriber, kept for the handout.
    public var questions: [String]

    public init(id: String, title: String, summary: String, sources: [String], see: [String], resources: [String],
                body: [Block], questions: [String] = []) {
        self.questions = questions
        self.id = id
        self.title = title
        self.summary = summary
        self.sources = sources
        self.see = see
        self.resources = resources
        self.body = body
    }
}

/// One question of the knowledge check, read from `quiz.txt`.
public struct QuizItem: Hashable, Sendable, Identifiable {
    public var id: String
    /// The topic the question comes from.
    public var topic: String
    public var sources: [String]
    public var question: String
    /// The choices, in order; nil for a true-or-false question (its labels come from `ui.txt`).
    public var choices: [String]?
    /// The right choice, from 1; for a true-or-false question 1 is true and 2 is false.
    public var answer: Int
    /// Why the answer is right, in plain words.
    public var explanation: [Block]

    public init(id: String, topic: String, sources: [String], question: String, choices: [String]?, answer: Int,
                explanation: [Block]) {
        self.id = id
        self.topic = topic
        self.sources = sources
        self.question = question
        self.choices = choices
        self.answer = answer
        self.explanation = explanation
    }
}
