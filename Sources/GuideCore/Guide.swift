import GuideContent

/// One answer to one line: what kind it is and what to show.
public struct Reply: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case answer, clarify, fallback, crisis
    }

    public var kind: Kind
    /// The topic id (answer) or safety category id (crisis); nil otherwise.
    public var id: String?
    public var title: String?
    public var blocks: [Block]
    public var sources: [String]
    /// Other topic ids that scored, best first (for clarify: the choices).
    public var candidates: [String]
    /// How the matcher decided; nil for crisis replies.
    public var explanation: Matcher.Explanation?
}

/// The bundle with its crisis screen and matcher built once: answers single questions and renders content.
public struct Guide: Sendable {
    public let bundle: ContentBundle
    public let screen: SafetyScreen
    public let matcher: Matcher
    /// Questions longer than this are read only up to it (the crisis screen still reads them whole).
    public static let matchLimit = 2000

    public init(bundle: ContentBundle) {
        self.bundle = bundle
        self.screen = SafetyScreen(categories: bundle.safety)
        self.matcher = Matcher(topics: bundle.topics, lexicon: bundle.lexicon)
    }

    var messages: Messages { bundle.messages }

    /// Answers one question the way `ask` does: the crisis screen first, then `sos`, then the matcher.
    public func reply(to question: String) -> Reply {
        let text = TextNormalizer.sanitize(question)
        if let category = screen.screen(text) { return crisisReply(category) }
        if Command(text) == .sos { return crisisReply(bundle.sos) }
        return answer(text)
    }

    /// The matcher's reply to a question that passed the crisis screen.
    public func answer(_ text: String) -> Reply {
        let result = matcher.match(String(text.prefix(Guide.matchLimit)))
        let others = result.explanation.top.map(\.id)
        switch result.decision {
        case .answer(let id):
            let topic = bundle.topic(id)!
            return Reply(kind: .answer, id: id, title: topic.title, blocks: topicBlocks(topic),
                         sources: topic.sources, candidates: others.filter { $0 != id },
                         explanation: result.explanation)
        case .clarify(let ids):
            let titles = ids.compactMap { bundle.topic($0)?.title }
            return Reply(kind: .clarify, id: nil, title: nil,
                         blocks: messages.blocks("clarify") + [.choices(titles)], sources: [],
                         candidates: ids, explanation: result.explanation)
        case .fallback:
            return Reply(kind: .fallback, id: nil, title: nil, blocks: messages.blocks("fallback"), sources: [],
                         candidates: [], explanation: result.explanation)
        }
    }

    public func crisisReply(_ category: SafetyCategory) -> Reply {
        Reply(kind: .crisis, id: category.id, title: category.title,
              blocks: [.heading(category.title)] + category.response, sources: [], candidates: [], explanation: nil)
    }

    /// A topic as shown: its text, one line for each of its resources, and the related topics.
    public func topicBlocks(_ topic: Topic) -> [Block] {
        var blocks = topic.body
        let lines = topic.resources.compactMap { bundle.resource($0).map(resourceLine) }
        if !lines.isEmpty { blocks.append(.bullets(lines)) }
        if !topic.see.isEmpty {
            blocks += messages.blocks("related", ["topics": topic.see.joined(separator: ", ")])
        }
        return blocks
    }

    /// A resource on one line: its name and how to reach it ("**988 …**: Call 988 · Text 988").
    public func resourceLine(_ resource: Resource) -> String {
        let reach = resource.details.filter { Guide.reachKeys.contains($0.key) }.map { detail in
            "\(messages.field("resource-labels", detail.key) ?? detail.key) \(detail.value)"
        }
        return reach.isEmpty ? "**\(resource.name)**" : "**\(resource.name)**: " + reach.joined(separator: " · ")
    }

    /// The details that say how to reach a resource.
    static let reachKeys: Set<String> = ["phone", "text", "chat", "web", "tty"]

    /// A resource card: its name, then one bullet a detail.
    public func resourceBlocks(_ resource: Resource) -> [Block] {
        let details = resource.details.map { detail in
            let label = messages.field("resource-labels", detail.key) ?? detail.key
            return "\(label): \(detail.value)"
        }
        return [.paragraph("**\(resource.name)**")] + (details.isEmpty ? [] : [.bullets(details)]) + resource.body
    }

    /// The citations for source keys, one bullet each.
    public func citationBlocks(_ keys: [String]) -> [Block] {
        let lines = keys.compactMap { key in bundle.sources[key].map { "\(key): \($0.citation)" } }
        return lines.isEmpty ? [] : [.bullets(lines)]
    }
}
