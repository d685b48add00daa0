import GuideContent

/// Small talk typed as a whole line ("hi", "thanks", "hello is anyone there", "ok thanks bye"): the `reply-`
/// sections of `ui.txt`, each with the phrases of its `words:` line. A line is small talk when its words are
/// nothing but such phrases, one after another; it gets the reply of the last ("ok thanks" is thanks).
public struct SmallTalk: Hashable, Sendable {
    /// A phrase, its words joined by one space → the message that answers it (the first section that lists it).
    public private(set) var replies: [String: String] = [:]
    /// Words and phrases that may come between the phrases of a line of small talk, and that alone are none:
    /// "so", "very", "much" in "thank you so very much" (`ui.txt`'s `== small-talk`, `fillers:`).
    private var fillers: Set<String> = []
    /// The most words of any phrase or filler.
    private var longest = 0
    /// The replies marked `calm: yes`: a line made only of their phrases is never a crisis by the second look's
    /// guess ("thank you very much"); the crisis screen's triggers still read it.
    public private(set) var calm: Set<String> = []

    public init(_ messages: Messages) {
        for key in messages.sections.keys.sorted() where key.hasPrefix(ContentRequirements.replyPrefix) {
            if messages.field(key, "calm") == "yes" { calm.insert(key) }
            for phrase in SmallTalk.phrases(messages.sections[key]?.field("words") ?? "") {
                if replies[phrase] == nil { replies[phrase] = key }
                longest = max(longest, phrase.split(separator: " ").count)
            }
        }
        for filler in SmallTalk.phrases(messages.field(ContentRequirements.smallTalkSection, "fillers") ?? "") {
            fillers.insert(filler)
            longest = max(longest, filler.split(separator: " ").count)
        }
    }

    /// The phrases of a comma-separated list of `ui.txt`, each as its words (`TextNormalizer.words`) joined by one
    /// space, the way a typed line is read; empty ones left out.
    static func phrases(_ list: String) -> [String] {
        list.split(separator: ",").map { TextNormalizer.words(String($0)).joined(separator: " ") }.filter { !$0.isEmpty }
    }

    /// The message for a line of these words (as `TextNormalizer.words` reads them), or nil when any part of the
    /// line is neither a phrase of small talk nor a filler, or when it holds no phrase. Phrases and fillers are
    /// taken longest first from the start of the line; a phrase wins over a filler of the same length.
    public func reply(_ words: [String]) -> String? {
        guard !words.isEmpty else { return nil }
        var start = 0
        var last: String?
        while start < words.count {
            var found: (key: String?, count: Int)?
            for count in stride(from: min(longest, words.count - start), through: 1, by: -1) {
                let phrase = words[start..<start + count].joined(separator: " ")
                if let key = replies[phrase] {
                    found = (key, count)
                    break
                }
                if fillers.contains(phrase) {
                    found = (nil, count)
                    break
                }
            }
            guard let found else { return nil }
            if let key = found.key { last = key }
            start += found.count
        }
        return last
    }
}
