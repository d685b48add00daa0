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
        /// A phrase of small talk → the message that answers it.
        var replies: [String: String] = [:]
        var dismissals: Set<String> = []

        init(_ messages: Messages) {
            func phrases(_ list: String) -> [String] {
                list.split(separator: ",").map { TextNormalizer.words(String($0)).joined(separator: " ") }
                    .filter { !$0.isEmpty }
            }
            for field in messages.sections["choice-words"]?.fields ?? [] {
                if field.key == "around" {
                    around.formUnion(phrases(field.value))
                } else if field.key.hasPrefix("choice-"), let number = Int(field.key.dropFirst("choice-".count)) {
                    for word in phrases(field.value) { numbers[word] = number }
                }
            }
            for key in messages.sections.keys.sorted() where key.hasPrefix(Conversation.replyPrefix) {
                for phrase in phrases(messages.sections[key]?.field("words") ?? "") where replies[phrase] == nil {
                    replies[phrase] = key
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

    /// The prefix of the `ui.txt` sections that answer small talk.
    static let replyPrefix = "reply-"
}
