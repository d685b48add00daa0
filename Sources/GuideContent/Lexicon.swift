/// Synonyms and spellings people use, read from `lexicon.txt`.
public struct Lexicon: Hashable, Sendable {
    /// One line of the lexicon: the word the matcher uses and the ways people write it.
    public struct Entry: Hashable, Sendable {
        public var canonical: String
        public var variants: [String]
    }

    public var entries: [Entry]
    /// Little words the matcher skips.
    public var ignored: [String]
    /// Words and phrases that point back to the last answer ("that", "it", "what about"): a question with one of
    /// them is read together with the topic just shown.
    public var followUp: [String]
    /// Words that open a follow-up about a new side of the last answer ("what about", "how about"): read with
    /// the last topic as `followUp` is, but a question that also names a topic of its own gets that topic.
    public var followUpOpeners: [String]
    /// Everyday words ("heard", "paper", "people"): never mended into a guide word one letter away, and not
    /// enough on their own to say a question is about the guide's subject.
    public var everyday: [String]
    /// Substances whose withdrawal the guide does not cover ("alcohol", "opioid", "lyrica"), and the words of
    /// coming off one ("withdrawal", "taper", "detox"): "alcohol withdrawal" or "tapering off oxycodone", in a
    /// question that does not name clonazepam or benzodiazepines, is not the guide's to answer.
    public var notCovered: [String]
    public var comingOff: [String]
    /// Little words that may stand between a word of coming off and the substance ("withdrawal from alcohol",
    /// "tapering off oxycodone").
    public var comingOffLinks: [String]
    /// An age written as one ("shes 74", "pt is 77", "82F", "im 83 years old"): a whole number from the first of
    /// `ageFrom` up, with a word of `ageCues` right before it or a phrase of it right after it (or joined to it:
    /// "82f"), and no word of `ageUnits` right after it ("is 75 mg" is a dose), is read as the words of `ageReadsAs`.
    public var ageFrom: [String] = []
    public var ageReadsAs: [String] = []
    public var ageCues: [String] = []
    public var ageUnits: [String] = []

    public init(entries: [Entry] = [], ignored: [String] = [], followUp: [String] = [], followUpOpeners: [String] = [],
                everyday: [String] = [],
                notCovered: [String] = [], comingOff: [String] = [], comingOffLinks: [String] = []) {
        self.entries = entries
        self.ignored = ignored
        self.followUp = followUp
        self.followUpOpeners = followUpOpeners
        self.everyday = everyday
        self.notCovered = notCovered
        self.comingOff = comingOff
        self.comingOffLinks = comingOffLinks
    }
}

/// Everything else the guide says, read from `ui.txt`: one message a section.
public struct Messages: Hashable, Sendable {
    public var sections: [String: Message]

    /// One message: its text and, for some, named fields (labels, menu items) in file order.
    public struct Message: Hashable, Sendable {
        public var body: [Block]
        public var fields: [Field]

        public func field(_ key: String) -> String? { fields.first { $0.key == key }?.value }
    }

    /// A `key: value` line of a message.
    public struct Field: Hashable, Sendable {
        public var key: String
        public var value: String
    }

    /// The message's blocks with `{name}` placeholders filled in.
    public func blocks(_ key: String, _ values: [String: String] = [:]) -> [Block] {
        guard let message = sections[key] else { return [] }
        guard !values.isEmpty else { return message.body }
        return message.body.map { block in
            switch block {
            case .heading(let text): return .heading(Messages.fill(text, values))
            case .paragraph(let text): return .paragraph(Messages.fill(text, values))
            case .bullets(let items): return .bullets(items.map { Messages.fill($0, values) })
            case .choices(let items): return .choices(items.map { Messages.fill($0, values) })
            }
        }
    }

    /// A message's text as one line (for prompts and labels).
    public func line(_ key: String, _ values: [String: String] = [:]) -> String {
        Markup.strip(blocks(key, values).plainText)
    }

    /// A named field of a message, such as a label.
    public func field(_ key: String, _ name: String) -> String? { sections[key]?.field(name) }

    public static func fill(_ text: String, _ values: [String: String]) -> String {
        var result = text
        for (name, value) in values { result = result.replacingAll("{\(name)}", with: value) }
        return result
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }

    private func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = self[...]
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
