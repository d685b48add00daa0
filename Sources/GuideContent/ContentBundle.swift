/// A whole content bundle: loaded, validated and indexed once, then only read.
public struct ContentBundle: Sendable {
    public var language: String
    public var name: String
    public var version: String
    /// The topics, sorted by id: parsed, or read from their files when first asked for (`TopicShelf`).
    public var shelf: TopicShelf
    /// Every topic, sorted by id (a lazy shelf reads them all: use `shelf` for ids and titles).
    public var topics: [Topic] { shelf.all }
    public var flows: [String: Flow]
    /// Resources in file order.
    public var resources: [Resource]
    public var sources: [String: Source]
    /// Emergency categories in file order (the order they are checked).
    public var safety: [SafetyCategory]
    /// What `sos` shows.
    public var sos: SafetyCategory
    /// Word groups that safety triggers name in braces (`{pills}`), from `== words` in `safety.txt`.
    public var safetyWords: [String: [String]]
    /// The crisis screen's second look (`safety-model.txt`), when the bundle has one.
    public var safetyModel: SafetyModel?
    public var lexicon: Lexicon
    /// Everyday English words (words.txt): words the matcher never takes for misspellings of other words.
    public var englishWords: WordList = .empty
    public var messages: Messages
    /// The education session (`session.txt`), when the bundle has one.
    public var course: Course?
    /// The knowledge check (`quiz.txt`), in file order; empty without a session.
    public var quiz: [QuizItem] = []
    /// A clinic's own resources from a local overlay (`--local DIR`), shown before the bundle's own.
    public var localResources: [Resource] = []

    private var resourceIndex: [String: Int]

    public init(
        language: String, name: String, version: String, topics: TopicShelf, flows: [String: Flow],
        resources: [Resource], sources: [String: Source], safety: [SafetyCategory], sos: SafetyCategory,
        safetyWords: [String: [String]] = [:], lexicon: Lexicon, messages: Messages
    ) {
        self.language = language
        self.name = name
        self.version = version
        shelf = topics
        self.flows = flows
        self.resources = resources
        self.sources = sources
        self.safety = safety
        self.sos = sos
        self.safetyWords = safetyWords
        self.lexicon = lexicon
        self.messages = messages
        var resourceIndex: [String: Int] = [:]
        for (index, resource) in resources.enumerated() { resourceIndex[resource.id] = index }
        self.resourceIndex = resourceIndex
    }

    public func topic(_ id: String) -> Topic? { shelf.topic(id) }
    public func resource(_ id: String) -> Resource? { resourceIndex[id].map { resources[$0] } }
    /// The resources a list of ids names, in order; the id `local` stands for every local resource.
    public func resources(_ ids: [String]) -> [Resource] {
        ids.flatMap { id in id == ContentRequirements.localResources ? localResources : resource(id).map { [$0] } ?? [] }
    }
    public func flow(_ id: String) -> Flow? { flows[id] }
}
