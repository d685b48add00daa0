/// One kind of emergency, read from `safety.txt`: the words that trigger it and what to say.
public struct SafetyCategory: Hashable, Sendable, Identifiable {
    public var id: String
    public var title: String
    /// Phrases that start this response; `*` stands for up to three words.
    public var triggers: [String]
    /// Figures of speech that must not trigger.
    public var exclusions: [String]
    public var response: [Block]
    /// When set, this section is not an emergency: lines that trigger it are answered with this topic
    /// (requests to change a dose get the dosing answer, never a number).
    public var answer: String?
    /// With `answer`: the answer is given only when the guide finds no topic for the line on its own (`when:
    /// unmatched`). A line that only names an amount ("been on 3mg for years, how bad will it be") gets the topic
    /// it asks about; with nothing else to go on ("2mg?"), the dosing answer.
    public var whenUnmatched: Bool
    /// With `answer`: topics that speak to the question themselves (the pace of a taper, symptoms during one). A
    /// line the matcher answers with one of them gets this section's text, a note that only the prescriber decides
    /// on a dose, and then that topic, with `answer` offered after it.
    public var topics: [String]
    /// Phrases that place the line in the past ("back in 2015", "years ago"): when one is in a line and no phrase
    /// of the word group `now` is, this section's triggers are not looked for.
    public var past: [String]

    public init(id: String, title: String, triggers: [String], exclusions: [String], response: [Block],
                answer: String? = nil, whenUnmatched: Bool = false, topics: [String] = [], past: [String] = []) {
        self.id = id
        self.title = title
        self.triggers = triggers
        self.exclusions = exclusions
        self.response = response
        self.answer = answer
        self.whenUnmatched = whenUnmatched
        self.topics = topics
        self.past = past
    }
}
