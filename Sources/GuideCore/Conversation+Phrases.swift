import GuideContent

extension Conversation {
    /// Whole-line phrases of `ui.txt`, read once: words that pick a number from a list (`choice-words`), short
    /// replies to small talk (`reply-` sections) and the words that dismiss emergency guidance
    /// (`crisis-dismissed`). Each phrase is kept as its words joined by one space, the way a typed line is read.
    struct Phrases: Sendable {
        /// Words that may stand around a number ("the", "number", "option").
        var around: Set<String> = []
        /// Words for numbers ("second" → 2, "3rd" → 3).
        var numbers: [String: Int] = [:]
        /// Other ways to say a choice's label ("next" → "go on"): `same-as: go on = next, continue`.
        var sameAs: [String: String] = [:]
        var dismissals: Set<String> = []

        init(_ messages: Messages) {
            let phrases = SmallTalk.phrases
            for field in messages.sections[ContentRequirements.choiceWords]?.fields ?? [] {
                if field.key == "around" {
                    around.formUnion(phrases(field.value))
                } else if field.key == "same-as", let equals = field.value.firstIndex(of: "=") {
                    let label = TextNormalizer.words(String(field.value[..<equals])).joined(separator: " ")
                    for phrase in phrases(String(field.value[field.value.index(after: equals)...])) where !label.isEmpty {
                        sameAs[phrase] = label
                    }
                } else if field.key.hasPrefix("choice-"), let number = Int(field.key.dropFirst("choice-".count)) {
                    for word in phrases(field.value) { numbers[word] = number }
                }
            }
            dismissals = Set(phrases(messages.field("crisis-dismissed", "words") ?? ""))
        }

        /// The number a line picks: digits alone ("2", "#2", "2."), or with `around` words ("number 2", "the
        /// second one"); nil for anything else.
        func number(in words: [String]) -> Int? {
            if words.count == 1, let number = numbers[words[0]] { return number }
            let rest = words.filter { !around.contains($0) }
            guard rest.count == 1 else { return nil }
            if let value = Int(rest[0].trimmingDots()), value >= 0 { return value }
            return numbers[rest[0]]
        }
    }

    /// The number of the choice a line names by its label, in a numbered list on screen: the whole label ("go
    /// on"), the start of exactly one label ("leave" for "Leave the tour and ask a question"), or a phrase of
    /// `same-as:` for a label on screen ("next" for "Go on"). Nil when there is no list or nothing fits.
    func labelPick(_ phrase: String, _ state: State) -> Int? {
        guard !phrase.isEmpty, !phrases.around.contains(phrase) else { return nil }
        let labels = choiceLabels(state).map { TextNormalizer.words($0).joined(separator: " ") }
        if let index = labels.firstIndex(of: phrase) { return index + 1 }
        let starting = labels.indices.filter { labels[$0].hasPrefix(phrase + " ") }
        if starting.count == 1 { return starting[0] + 1 }
        if let label = phrases.sameAs[phrase], let index = labels.firstIndex(of: label) { return index + 1 }
        return nil
    }

    /// The labels of the numbered list on screen, in order: a flow node's choices, or the titles and labels of a
    /// list of picks (the menu, all topics, "did you mean", after emergency guidance).
    func choiceLabels(_ state: State) -> [String] {
        switch state.mode {
        case .inFlow:
            guard let position = state.flow, let node = bundle.flow(position.flow)?.node(position.node) else { return [] }
            return node.choices.map(\.label)
        case .choosing(let picks), .afterCrisis(let picks):
            let listed = (messages.sections["menu"]?.fields ?? []) + (messages.sections["after-crisis"]?.fields ?? [])
            return picks.map { pick in
                switch pick {
                case .topic(let id): return bundle.shelf.title(id) ?? ""
                case .flow(let id): return listed.first { $0.key == id }?.value ?? ""
                case .topicList: return listed.first { $0.key == "topics" }?.value ?? ""
                case .sos: return listed.first { $0.key == "sos" }?.value ?? ""
                case .carryOn: return listed.first { $0.key == "carry-on" }?.value ?? ""
                }
            }
        default:
            return []
        }
    }
}
