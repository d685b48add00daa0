#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// The blocks as plain text without their headings, as `ask --json` shows them.
    public var text: String
    /// The crisis screen's finding, when the screen gave this reply (an emergency, or a dose section's topic):
    /// `why` names the section and its trigger.
    public var finding: SafetyScreen.Finding? = nil
    /// The `reply-` message of `ui.txt` that answered a line of small talk (`ask`): `why` names it.
    public var smallTalk: String? = nil
}

/// The bundle with its crisis screen and matcher built once: answers single questions and renders content.
///
/// The two indexes are built either at once (`init(bundle:)`) or later (`init(bundle:indexing: .later)`): on a
/// thread of their own once `startIndexing()` is called, or by the first use, whichever comes first. Whatever
/// uses them waits until they are complete, so the crisis screen never runs half-built; `waitForIndexes()` is
/// the explicit join.
///
/// The bundle itself can come later too (`init(messages:loading:)`), for a bundle already known to be clean: the
/// welcome needs only the messages. Everything else waits for the bundle; `waitUntilReady()` says whether it came.
public struct Guide: Sendable {
    /// When the crisis screen and the matcher are built.
    public enum Indexing: Sendable {
        /// While the guide is made.
        case now
        /// On a thread of their own from `startIndexing()`, or by the first use if that comes first.
        case later
    }

    private let content: Deferred<ContentBundle?>
    private let indexes: Deferred<Indexes?>
    /// The texts of `ui.txt`: all the welcome needs.
    public let messages: Messages
    /// Questions longer than this are read only up to it (the crisis screen still reads them whole).
    public static let matchLimit = 2000

    /// The bundle; waits for it when it is still being read. Use only after `waitUntilReady()` returned true
    /// (or with a guide made from a bundle).
    public var bundle: ContentBundle {
        guard let bundle = content.value else { preconditionFailure("the bundle of this guide could not be loaded") }
        return bundle
    }

    /// The crisis screen; waits for the indexes when they are still being built.
    public var screen: SafetyScreen { built.screen }
    /// The matcher; waits for the indexes when they are still being built.
    public var matcher: Matcher { built.matcher }
    /// The small talk of `ui.txt`; waits for the indexes.
    public var smallTalk: SmallTalk { built.smallTalk }
    /// Every word the bundle uses, which the crisis screen never repairs; waits for the indexes.
    var knownWords: StringTable { built.known }
    /// Whether the indexes were read from a compiled index (false: built from the topics, also when a compiled
    /// index was given but did not fit); waits for the indexes.
    public var usesCompiledIndex: Bool { built.fromCompiledIndex }

    private var built: Indexes {
        guard let indexes = indexes.value else { preconditionFailure("the bundle of this guide could not be loaded") }
        return indexes
    }

    /// Builds the indexes now.
    public init(bundle: ContentBundle) {
        self.init(bundle: bundle, indexing: .now)
    }

    public init(bundle: ContentBundle, indexing: Indexing) {
        content = Deferred(value: bundle)
        messages = bundle.messages
        switch indexing {
        case .now: indexes = Deferred(value: Indexes(bundle: bundle))
        case .later: indexes = Deferred(later: { Indexes(bundle: bundle) })
        }
    }

    /// A guide whose matcher was built while its bundle was read (`BundleLoader.load(directory:today:indexing:)`,
    /// with `topicIndex`): the bundle's topics are on a lazy shelf; the builders are merged into the matcher, and
    /// the crisis screen built, now or later (`indexing`). Should the index not fit the bundle's topics, it is
    /// built from them (each read from its file).
    package init(bundle: ContentBundle, indexed topicIndex: Matcher.Indexing, indexing: Indexing = .now) {
        content = Deferred(value: bundle)
        messages = bundle.messages
        switch indexing {
        case .now: indexes = Deferred(value: Indexes(bundle: bundle, indexed: topicIndex))
        case .later: indexes = Deferred(later: { Indexes(bundle: bundle, indexed: topicIndex) })
        }
    }

    /// A guide whose bundle is still being read (by `loading`, which another thread may already be running; nil
    /// when the bundle could not be loaded). The indexes are built later, as with `indexing: .later`: read from
    /// `compiled` when it is given and fits the bundle, else built from the topics.
    public init(messages: Messages, loading: @escaping @Sendable () -> ContentBundle?,
                compiled: @escaping @Sendable () -> CompiledIndex? = { nil }) {
        let content = Deferred<ContentBundle?>(later: loading)
        self.content = content
        self.messages = messages
        indexes = Deferred(later: {
            content.value.map { bundle in compiled().flatMap { Indexes(bundle: bundle, compiled: $0) } ?? Indexes(bundle: bundle) }
        })
    }

    /// A guide whose indexes are read from a compiled index of its bundle (whose topics are then usually on a lazy
    /// shelf); built from the topics when the index does not fit the bundle.
    public init(bundle: ContentBundle, compiled: CompiledIndex) {
        content = Deferred(value: bundle)
        messages = bundle.messages
        indexes = Deferred(value: Indexes(bundle: bundle, compiled: compiled) ?? Indexes(bundle: bundle))
    }

    /// The compiled index of this guide's bundle (`CompiledIndex`): what a later start reads instead of the
    /// topics. Waits for the indexes.
    public func compiledIndex(key: UInt64) -> ImageWriter {
        CompiledIndex.image(shelf: bundle.shelf, known: built.known, matcher: built.matcher, key: key)
    }

    /// Starts building the indexes on a thread of their own, unless they are built or being built.
    public func startIndexing() { indexes.start() }

    /// Returns once the crisis screen and the matcher are built (building them on this thread if no one has
    /// started).
    public func waitForIndexes() { indexes.wait() }

    /// Waits for the bundle and the indexes; false when the bundle could not be loaded, and then nothing but
    /// `messages` may be used.
    public func waitUntilReady() -> Bool { indexes.value != nil }

    /// What `Guide` builds from the bundle before it can screen or answer a line. A class: each use takes one
    /// reference, where a struct would copy (and retain) every table of the matcher and the screen.
    final class Indexes: Sendable {
        let screen: SafetyScreen
        let matcher: Matcher
        /// Every word the bundle uses (`Guide.knownWords`), which the crisis screen never repairs.
        let known: StringTable
        /// Each topic, emergency guidance and the fallback as shown, and as plain text: made the first time each
        /// is shown, not every time.
        let shown = ShownCache()
        /// Whether they were read from a compiled index.
        let fromCompiledIndex: Bool
        let smallTalk: SmallTalk

        convenience init(bundle: ContentBundle, indexed indexing: Matcher.Indexing? = nil) {
            // The matcher reads every word of the topics; the crisis screen gets them from it, and is built on a
            // thread of its own while the matcher makes its tables (a tenth of a big bundle's single-threaded end).
            var screening: Deferred<(StringTable, SafetyScreen)>?
            func startScreening(_ words: Matcher.WrittenWords) {
                let part = Deferred(later: {
                    let known = Guide.knownWords(bundle, topicWords: words)
                    return (known, Indexes.screen(bundle, known: known))
                })
                part.start()
                screening = part
            }
            var matcher = indexing?.matcher(ids: bundle.shelf.ids, lexicon: bundle.lexicon, words: startScreening)
            if matcher == nil {
                screening = nil
                matcher = Matcher(topics: bundle.topics, lexicon: bundle.lexicon, words: startScreening)
            }
            let (known, screen) = screening!.value
            self.init(bundle: bundle, matcher: matcher!, known: known, screen: screen, fromCompiledIndex: false)
        }

        /// The indexes read from a compiled index; nil when it is damaged or was made from other topics.
        convenience init?(bundle: ContentBundle, compiled: CompiledIndex) {
            guard compiled.topicIDs == bundle.shelf.ids, let (known, matcher) = compiled.indexes(lexicon: bundle.lexicon)
            else { return nil }
            self.init(bundle: bundle, matcher: matcher, known: known, screen: Indexes.screen(bundle, known: known),
                      fromCompiledIndex: true)
        }

        /// What both ways of building take from the bundle besides the matcher's tables: its everyday English words
        /// and its small talk.
        private init(bundle: ContentBundle, matcher: Matcher, known: StringTable, screen: SafetyScreen,
                     fromCompiledIndex: Bool) {
            var matcher = matcher
            matcher.englishWords = bundle.englishWords
            self.matcher = matcher
            self.known = known
            self.screen = screen
            self.fromCompiledIndex = fromCompiledIndex
            smallTalk = SmallTalk(bundle.messages)
        }

        /// The crisis screen of `bundle`, which never repairs a word of `known`.
        private static func screen(_ bundle: ContentBundle, known: StringTable) -> SafetyScreen {
            SafetyScreen(categories: bundle.safety, groups: bundle.safetyWords, known: known, model: bundle.safetyModel)
        }
    }

    /// Answers one question the way `ask` does: the crisis screen first, then `sos`, then the matcher.
    public func reply(to question: String) -> Reply {
        let text = TextNormalizer.sanitize(question)
        func found(_ reply: Reply, _ finding: SafetyScreen.Finding) -> Reply {
            var reply = reply
            reply.finding = finding
            return reply
        }
        switch screening(text) {
        case .emergency(let category, let finding):
            return found(crisisReply(category), finding)
        case .topic(let topic, let finding, let also, let note):
            return found(doseReply(topic, also: also, note: note), finding)
        case .unlessMatched(let topic, let finding, let result):
            // The screen's own reading of the line (no context, as `ask` reads it): not matched a second time.
            let reply = reply(for: result)
            return reply.kind == .fallback ? found(topicReply(topic, candidates: [], explanation: nil), finding) : reply
        case .pass:
            if command(text) == .sos { return crisisReply(bundle.sos) }
            // Small talk typed alone ("hello is anyone there") is no question: its short reply, as a fallback.
            if let key = built.smallTalk.reply(TextNormalizer.words(text)) {
                var reply = fallbackReply(nil)
                // `ask` shows no topic before a line: a reply that lists the last topic's related ones ("tell me
                // more") says its `first:` line.
                let first = messages.field(key, "then") == ContentRequirements.replyThenRelated
                    ? messages.field(key, "first") : nil
                reply.blocks = first.map { [.paragraph($0)] } ?? messages.blocks(key)
                reply.text = Guide.plainText(reply.blocks)
                reply.smallTalk = key
                return reply
            }
            return answer(text)
        }
    }

    /// What the crisis screen makes of a line: the one step that `reply(to:)` and a conversation share.
    public enum Screening: Equatable, Sendable {
        /// Nothing the screen acts on: the line goes on as any other.
        case pass
        /// An emergency (or a section whose topic cannot be read): its guidance, at once.
        case emergency(SafetyCategory, SafetyScreen.Finding)
        /// A section that answers with a topic (a request to change a dose): that topic, at once. `also`: the
        /// topics the matcher found for the same line ("should i hold, my symptoms are worse" is also about
        /// symptoms during a taper), offered after it; never the section's own topic. `note`: the section's text,
        /// shown first, when the topic is one of its `topics:` that the matcher answered the line with ("how fast
        /// should i taper": the note that the prescriber decides, then the taper-rate topic).
        case topic(Topic, SafetyScreen.Finding, also: [String], note: [Block])
        /// A `when: unmatched` section (a dose only named): its topic, only when the matcher finds none. The
        /// matcher's result for the line read alone comes along (a conversation reads it again with its last topic).
        case unlessMatched(Topic, SafetyScreen.Finding, Matcher.Result)
    }

    /// Screens a sanitized line. A section that answers with a topic (a dose question, never an emergency) has the
    /// matcher read the line once: a line about something the guide does not cover ("lexapro tapering schedule",
    /// "how much prednisone should i take") is left to the matcher, which gives it the fallback; otherwise the
    /// topics it found come along as `also`. A `when: unmatched` section whose topic cannot be read does nothing.
    public func screening(_ text: String) -> Screening {
        let built = built
        // The second look's guess at a line made only of phrases of a `calm: yes` reply ("thank you very much") is
        // no crisis; a trigger's finding always is.
        let calm = { built.smallTalk.reply(TextNormalizer.words(text)).map(built.smallTalk.calm.contains) ?? false }
        guard let finding = built.screen.screen(text), !(finding.bySecondLook && calm()),
              let category = bundle.safety.first(where: { $0.id == finding.category }) else { return .pass }
        guard let answer = category.answer else { return .emergency(category, finding) }
        let result = built.matcher.match(String(text.prefix(Guide.matchLimit)))
        if case .namesOther = result.explanation.reason { return .pass }
        let topic = bundle.topic(answer)
        if category.whenUnmatched { return topic.map { .unlessMatched($0, finding, result) } ?? .pass }
        guard let topic else { return .emergency(category, finding) }
        if case .answer(let best) = result.decision, category.topics.contains(best), let own = bundle.topic(best) {
            return .topic(own, finding, also: [topic.id], note: category.response)
        }
        return .topic(topic, finding, also: Guide.alsoAbout(result.decision, besides: topic.id), note: [])
    }

    /// The topics a matcher's decision offers, but `id`: the one it answers with, or the close ones of a clarify.
    static func alsoAbout(_ decision: Matcher.Decision, besides id: String) -> [String] {
        switch decision {
        case .answer(let best): return best == id ? [] : [best]
        case .clarify(let ids): return ids.filter { $0 != id }
        case .fallback: return []
        }
    }

    /// Every word the bundle itself uses, spelled right: the crisis screen never "repairs" them.
    /// `topicWords`: every word of the topics' titles, example questions and answer texts, as the matcher read them.
    /// The topics' words are numbered as bytes, in the order the matcher read them (no `String` made, hashed or
    /// sorted for each: of 10,000 topics, a set of them and its sorting took about as long as the screen), then the
    /// bundle's other words, sorted.
    static func knownWords(_ bundle: ContentBundle, topicWords: Matcher.WrittenWords) -> StringTable {
        var numbering = StringNumbering()
        numbering.reserve(topicWords.lists.reduce(0) { $0 + $1.count },
                          bytes: topicWords.lists.reduce(0) { $0 + $1.utf8.count })
        for list in topicWords.lists {
            for number in 0..<list.count { _ = numbering.add(list.bytes(number)) }
        }
        for word in otherWords(bundle).sorted() { _ = numbering.add(word) }
        return StringTable(list: numbering.takeList())
    }

    /// The words of the bundle's flows and lexicon, and its everyday English words.
    private static func otherWords(_ bundle: ContentBundle) -> Set<String> {
        var words: Set<String> = []
        for flow in bundle.flows.values {
            for node in flow.nodes.values { words.formUnion(TextNormalizer.words(node.body.plainText)) }
        }
        for entry in bundle.lexicon.entries {
            words.formUnion(TextNormalizer.words(entry.canonical))
            for variant in entry.variants { words.formUnion(TextNormalizer.words(variant)) }
        }
        words.formUnion(bundle.lexicon.ignored.flatMap(TextNormalizer.words))
        // Everyday words are never mended by the matcher, nor repaired by the screen ("current" is not "correct").
        words.formUnion(bundle.lexicon.everyday.flatMap(TextNormalizer.words))
        return words
    }

    /// The matcher's reply to a question that passed the crisis screen.
    /// The reserved word typed alone, as written or with one slip ("topcis", "hlep"; `Command.init(_:mending:)`):
    /// a word of everyday English, of the lexicon, of the topics or of small talk ("helo") is never read as a slip.
    public func command(_ text: String) -> Command? {
        Command(text) { word in
            let built = built
            let matcher = built.matcher
            return matcher.englishWords.contains(word) || matcher.analyzer.isLexiconWord(word) || matcher.knows(word)
                || built.smallTalk.reply([word]) != nil
        }
    }

    public func answer(_ text: String, context: String? = nil) -> Reply {
        reply(for: built.matcher.match(String(text.prefix(Guide.matchLimit)), context: context.flatMap(bundle.topic)))
    }

    /// The reply a matcher's result gives: its topic, its "did you mean" list, or the fallback.
    func reply(for result: Matcher.Result) -> Reply {
        let others = result.explanation.top.map(\.id)
        switch result.decision {
        case .answer(let id):
            // A topic whose file no longer reads (it changed after a start from the compiled index) is not shown.
            guard let topic = bundle.topic(id) else { return fallbackReply(result.explanation) }
            return topicReply(topic, candidates: others.filter { $0 != id }, explanation: result.explanation)
        case .clarify(let ids):
            let titles = ids.compactMap { bundle.shelf.title($0) }
            let blocks = messages.blocks("clarify") + [.choices(titles)]
            return Reply(kind: .clarify, id: nil, title: nil, blocks: blocks, sources: [],
                         candidates: ids, explanation: result.explanation, text: Guide.plainText(blocks))
        case .fallback:
            return fallbackReply(result.explanation)
        }
    }

    func fallbackReply(_ explanation: Matcher.Explanation?) -> Reply {
        // A question about something the guide does not cover (another medicine or substance) gets ui.txt's
        // `fallback-other` when the bundle has it: where to ask instead, not "try other words".
        var key = "fallback"
        if case .namesOther = explanation?.reason, messages.sections["fallback-other"] != nil { key = "fallback-other" }
        let (blocks, text) = built.shown.value(for: "\u{1}" + key) {
            let blocks = messages.blocks(key)
            return (blocks, Guide.plainText(blocks))
        }
        return Reply(kind: .fallback, id: nil, title: nil, blocks: blocks, sources: [],
                     candidates: [], explanation: explanation, text: text)
    }

    public func crisisReply(_ category: SafetyCategory) -> Reply {
        let (blocks, text) = built.shown.value(for: "\u{1}crisis " + category.id) {
            ([.heading(category.title)] + category.response, Guide.plainText(category.response))
        }
        return Reply(kind: .crisis, id: category.id, title: category.title, blocks: blocks, sources: [],
                     candidates: [], explanation: nil, text: text)
    }

    /// A topic as shown: its text, one line for each of its resources, and the related topics.
    public func topicBlocks(_ topic: Topic) -> [Block] {
        shown(topic).blocks
    }

    /// `topicBlocks` made from the bundle.
    static func blocks(for topic: Topic, in bundle: ContentBundle) -> [Block] {
        var blocks = topic.body
        let lines = topic.resources.compactMap { bundle.resource($0).map { resourceLine($0, bundle.messages) } }
        if !lines.isEmpty { blocks.append(.bullets(lines)) }
        if !topic.see.isEmpty {
            blocks += bundle.messages.blocks("related", ["topics": topic.see.joined(separator: ", ")])
        }
        return blocks
    }

    /// Blocks as plain text, headings left out.
    static func plainText(_ blocks: [Block]) -> String {
        blocks.filter { if case .heading = $0 { return false } else { return true } }.plainText
    }

    /// The answer of a dose section, and after it (when ui.txt has `also-about`) the other topics the line is
    /// about, by id, as `candidates` too.
    func doseReply(_ topic: Topic, also: [String], note: [Block] = []) -> Reply {
        var reply = topicReply(topic, candidates: also, explanation: nil)
        let more = alsoBlocks(also, after: topic)
        if !more.isEmpty || !note.isEmpty {
            reply.blocks = note + reply.blocks + more
            reply.text = Guide.plainText(reply.blocks)
        }
        return reply
    }

    /// ui.txt's optional `also-about` with these topic ids, but those `topic` already names as related; nothing
    /// when none are left.
    public func alsoBlocks(_ ids: [String], after topic: Topic) -> [Block] {
        let ids = ids.filter { !topic.see.contains($0) }
        guard !ids.isEmpty, messages.sections["also-about"] != nil else { return [] }
        return messages.blocks("also-about", ["topics": ids.joined(separator: ", ")])
    }

    /// A topic's answer as a reply.
    func topicReply(_ topic: Topic, candidates: [String], explanation: Matcher.Explanation?) -> Reply {
        let (blocks, text) = shown(topic)
        return Reply(kind: .answer, id: topic.id, title: topic.title, blocks: blocks, sources: topic.sources,
                     candidates: candidates, explanation: explanation, text: text)
    }

    /// A topic's blocks as shown, and their plain text: made once for each topic.
    func shown(_ topic: Topic) -> (blocks: [Block], text: String) {
        built.shown.value(for: topic.id) {
            let blocks = Guide.blocks(for: topic, in: bundle)
            return (blocks, Guide.plainText(blocks))
        }
    }

    /// A resource on one line: its name and how to reach it ("**988 …**: Call 988 · Text 988").
    public func resourceLine(_ resource: Resource) -> String { Guide.resourceLine(resource, messages) }

    static func resourceLine(_ resource: Resource, _ messages: Messages) -> String {
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

/// Replies' blocks and plain text, made the first time each is shown and kept (keyed by topic id; other replies by
/// keys that start with U+0001): a lock guards the table, as a guide may answer on more than one thread.
final class ShownCache: @unchecked Sendable {
    private var table: [String: (blocks: [Block], text: String)] = [:]
    private let monitor = Monitor()

    /// The entry for `id`, made by `make` (outside the lock) when there is none yet.
    func value(for id: String, make: () -> (blocks: [Block], text: String)) -> (blocks: [Block], text: String) {
        monitor.lock()
        let cached = table[id]
        monitor.unlock()
        if let cached { return cached }
        let made = make()
        monitor.lock()
        table[id] = made
        monitor.unlock()
        return made
    }
}
