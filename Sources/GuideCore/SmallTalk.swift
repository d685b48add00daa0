import GuideContent

/// Small talk typed as a whole line ("hi", "thanks", "hello is anyone there", "ok thanks bye"): the `reply-`
/// sections of `ui.txt`, each with the phrases of its `words:` line. A line is small talk when its words are
/// nothing but such phrases, one after another; it gets the reply of the last ("ok thanks" is thanks).
public struct SmallTalk: Hashable, Sendable {
    /// A phrase, its words joined by one space → the message that answers it (the first section that lists it).
    public private(set) var replies: [String: String] = [:]
    /// The most words of any phrase.
    private var longest = 0

    public init(_ messages: Messages) {
        for key in messages.sections.keys.sorted() where key.hasPrefix(ContentRequirements.replyPrefix) {
            let list = messages.sections[key]?.field("words") ?? ""
            for part in list.split(separator: ",") {
                let words = TextNormalizer.words(String(part))
                guard !words.isEmpty else { continue }
                let phrase = words.joined(separator: " ")
                if replies[phrase] == nil { replies[phrase] = key }
                longest = max(longest, words.count)
            }
        }
    }

    /// The message for a line of these words (as `TextNormalizer.words` reads them), or nil when any part of the
    /// line is not a phrase of small talk. Phrases are taken longest first from the start of the line.
    public func reply(_ words: [String]) -> String? {
        guard !words.isEmpty else { return nil }
        var start = 0
        var last: String?
        while start < words.count {
            var found: (String, Int)?
            for count in stride(from: min(longest, words.count - start), through: 1, by: -1) {
                if let key = replies[words[start..<start + count].joined(separator: " ")] {
                    found = (key, count)
                    break
                }
            }
            guard let (key, count) = found else { return nil }
            last = key
            start += count
        }
        return last
    }
}
