/// What every English bundle must hold, and the words content cannot take over (see CONTRACT.md).
public enum ContentRequirements {
    /// Topic ids every English bundle has.
    public static let topics = [
        "what-is-klonopin", "side-effects", "dosing-questions", "other-benzodiazepines", "why-withdrawal",
        "symptoms", "severity", "timeline", "protracted-withdrawal", "stopping-suddenly", "seizures", "tapering",
        "taper-rate", "taper-symptoms", "talk-to-prescriber", "misuse", "overdose", "mixing-substances", "therapy",
        "sleep", "anxiety-coping", "help-finding", "low-cost-care", "pregnancy", "older-adults", "family-support",
    ]

    /// Flow ids every English bundle has.
    public static let flows = ["walkthrough", "taper", "find-help"]

    /// The `sos` text and the emergency categories of `safety.txt`.
    public static let sosSection = "sos"
    /// The section of `safety.txt` that defines word groups for triggers (`{pills}`).
    public static let safetyWordsSection = "words"
    public static let safetyCategories = ["suicide", "overdose", "seizure", "severe-withdrawal", "someone-else"]

    /// Words that work at every prompt; flows cannot claim them.
    public static let reservedWords = [
        "help", "topics", "menu", "back", "repeat", "sources", "sos", "quit", "exit", "why", "forget",
    ]

    /// The messages of `ui.txt` that the guide uses.
    public static let messages = [
        "welcome", "menu", "help", "prompt", "flow-prompt", "fallback", "clarify", "empty", "interrupted",
        "goodbye", "goodbye-after-crisis", "after-crisis", "crisis-dismissed", "flow-end", "flow-first-step",
        "flow-resume", "not-a-choice", "topics", "related", "sources", "no-sources", "back-nothing",
        "history-forgotten", "history-error", "why", "why-nothing", "resource-labels", "long-line",
    ]

    /// The optional section of `ui.txt` with the words that pick a number from a list.
    public static let choiceWords = "choice-words"
    /// The prefix of the optional `ui.txt` sections that answer small talk.
    public static let replyPrefix = "reply-"
    /// The section of `ui.txt` whose `fillers:` may come between small-talk phrases ("thank you so very much").
    public static let smallTalkSection = "small-talk"
    /// A reply's `then:` value that lists the related topics of the topic just shown after its text.
    public static let replyThenRelated = "related"

    /// The messages of `ui.txt` that are numbered lists; their fields are the choices, in order.
    public static let menus = ["menu", "after-crisis"]

    /// Choices a list may hold besides flow ids: all topics, the emergency guidance, leaving the list.
    public static let menuChoices = ["topics", "sos", "carry-on"]

    /// Example questions a topic should have.
    public static let minimumAsks = 8

    // MARK: The education session (session.txt, quiz.txt)

    /// The resource id that stands for the clinic's own resources (a local overlay) in a flow node's or the
    /// session's `resources:`; `resources.txt` cannot use it.
    public static let localResources = "local"

    /// The messages of `ui.txt` that a bundle with a `session.txt` needs.
    public static let sessionMessages = [
        "session-welcome", "session-agenda", "session-begin", "session-step", "session-step-hint",
        "session-last-step", "session-resume", "session-no-step", "session-help", "session-prompt",
        "quiz-intro-before", "quiz-intro-after", "quiz-question", "quiz-labels", "quiz-right", "quiz-wrong",
        "quiz-topic", "quiz-score", "quiz-compare", "quiz-done-before", "quiz-done-after", "quiz-stopped",
        "quiz-resume", "quiz-busy", "note-added", "note-empty", "handout", "handout-written", "handout-error",
        "handout-format", "reset-done", "transcript-started", "transcript-stopped",
    ]

    /// Labels some session messages must carry as fields.
    public static let sessionLabels: [String: [String]] = [
        "quiz-labels": ["true", "false"],
        "handout": [
            "date", "steps", "no-steps", "quiz", "quiz-before", "quiz-after", "questions", "suggested", "own-words",
            "no-questions", "help", "local", "sources",
        ],
    ]

    /// How many questions the knowledge check should have.
    public static let quizSize = 5...8
    /// How many choices a multiple-choice question may have.
    public static let quizChoices = 2...6
    /// The value of a flow node's `collect:` field: its bullets are questions to ask the prescriber.
    public static let collectQuestions = "questions"
}
