/// What loading a bundle produced: the bundle when it has no errors, and every diagnostic.
public struct LoadResult: Sendable {
    public var bundle: ContentBundle?
    public var diagnostics: [Diagnostic]
}

/// Reads a bundle directory into a validated, indexed `ContentBundle`.
public enum BundleLoader {
    /// The language folder to load: `path` itself when it holds `bundle.txt`, else `path/language`.
    /// nil when neither exists.
    public static func resolve(_ path: String, language: String) -> String? {
        if FileSystem.kind(of: FileSystem.join(path, "bundle.txt")) == .file { return path }
        let nested = FileSystem.join(path, language)
        if FileSystem.kind(of: FileSystem.join(nested, "bundle.txt")) == .file { return nested }
        return nil
    }

    /// Loads and validates the bundle in `directory` (a language folder such as `Content/en`). With `indexing`,
    /// each topic is handed to it as soon as it is parsed and checked, and only its id and title are kept: the
    /// bundle's shelf reads a topic from its file when it is first shown, as after a start from a compiled index.
    /// The first start of a big bundle then never holds every topic's text at once.
    package static func load(directory: String, today: SimpleDate = .today(), indexing: (any TopicIndexing)?) -> LoadResult {
        var loader = Loader(directory: directory, today: today)
        let bundle = loader.run(indexing: indexing)
        let diagnostics = loader.diagnostics.sortedForDisplay()
        return LoadResult(bundle: diagnostics.hasErrors ? nil : bundle, diagnostics: diagnostics)
    }

    /// Loads and validates the bundle in `directory` (a language folder such as `Content/en`).
    public static func load(directory: String, today: SimpleDate = .today()) -> LoadResult {
        var loader = Loader(directory: directory, today: today)
        let bundle = loader.run()
        let diagnostics = loader.diagnostics.sortedForDisplay()
        return LoadResult(bundle: diagnostics.hasErrors ? nil : bundle, diagnostics: diagnostics)
    }

    /// Only the messages of `ui.txt`, for a bundle already known to be clean (its `BundleStamp` matches): the
    /// welcome is made from them while the rest of the bundle is read. nil when ui.txt cannot be read or has
    /// errors.
    public static func loadMessages(directory: String) -> Messages? {
        var loader = Loader(directory: directory, today: .today())
        guard let document = loader.read("ui.txt", required: true) else { return nil }
        let messages = loader.parseMessages(document)
        return loader.diagnostics.hasErrors ? nil : messages
    }

    /// Loads the bundle in `directory` with the topics of `shelf` (made from a compiled index that matches the
    /// bundle): every file but the topics is read and checked.
    public static func load(directory: String, shelf: TopicShelf) -> LoadResult {
        var loader = Loader(directory: directory, today: .today())
        let bundle = loader.run(shelf: shelf)
        let diagnostics = loader.diagnostics.sortedForDisplay()
        return LoadResult(bundle: diagnostics.hasErrors ? nil : bundle, diagnostics: diagnostics)
    }

    /// Loads a bundle made of in-memory files (relative path → text), for tests and tools.
    public static func load(files: [String: String], root: String = "bundle", today: SimpleDate) -> LoadResult {
        var loader = Loader(directory: root, today: today, memory: files)
        let bundle = loader.run()
        let diagnostics = loader.diagnostics.sortedForDisplay()
        return LoadResult(bundle: diagnostics.hasErrors ? nil : bundle, diagnostics: diagnostics)
    }
}

/// One run of the loader: reads files, parses each construct, then checks references across files.
struct Loader {
    let directory: String
    let today: SimpleDate
    let memory: [String: String]?
    var diagnostics: [Diagnostic] = []
    /// The titles and example questions of the topics read so far (`readTopics`).
    var examples = ExamplePrint()

    init(directory: String, today: SimpleDate, memory: [String: String]? = nil) {
        self.directory = directory
        self.today = today
        self.memory = memory
    }

    // MARK: Files

    func path(_ relative: String) -> String { FileSystem.join(directory, relative) }

    mutating func read(_ relative: String, required: Bool) -> RawDocument? {
        guard let text = readText(relative, required: required) else { return nil }
        let document = RawScanner.scan(text, file: path(relative))
        diagnostics += document.diagnostics
        return document
    }

    mutating func readText(_ relative: String, required: Bool) -> String? {
        let text: String?
        if let memory { text = memory[relative] } else { text = FileSystem.readText(path(relative)) }
        if text == nil && required {
            diagnostics.append(
                Diagnostic(.error, "K045", "the bundle needs this file, and it is missing or cannot be read",
                           at: SourceLocation(file: path(relative), line: 1, column: 1)))
        }
        return text
    }

    func listFiles(_ folder: String) -> [String] {
        if let memory {
            let prefix = folder + "/"
            return memory.keys.filter { $0.hasPrefix(prefix) && !$0.dropFirst(prefix.count).contains("/") }
                .map { String($0.dropFirst(prefix.count)) }.sorted()
        }
        return FileSystem.list(path(folder)) ?? []
    }

    func location(_ document: RawDocument, _ line: Int, _ column: Int = 1) -> SourceLocation {
        SourceLocation(file: document.file, line: line, column: column)
    }

    mutating func error(_ code: String, _ message: String, _ at: SourceLocation) {
        diagnostics.append(Diagnostic(.error, code, message, at: at))
    }

    mutating func warning(_ code: String, _ message: String, _ at: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, code, message, at: at))
    }

    // MARK: The run

    /// With `shelf` (topics known from a compiled index), the topic files are not read: the other files are, and
    /// their references to topics are checked against the shelf's ids. With `indexing` (and files on disk), each
    /// topic goes to it as it is parsed and is not kept (`BundleLoader.load(directory:today:indexing:)`).
    mutating func run(shelf: TopicShelf? = nil, indexing: (any TopicIndexing)? = nil) -> ContentBundle? {
        let indexing = memory == nil ? indexing : nil
        // The files are read and parsed on four threads: safety.txt (nearly half the bundle's bytes) on one,
        // lexicon.txt on one, flows, resources, sources and ui.txt on another, bundle.txt and the topics on this one. Each
        // thread has a loader of its own; their diagnostics join these before any check across files.
        let safetyPart = Deferred(later: { [self] in Loader(directory: directory, today: today, memory: memory).safety() })
        // The lexicon is read first, on a thread of its own: indexing topics as they are parsed needs it.
        let lexiconPart = Deferred(later: { [self] in Loader(directory: directory, today: today, memory: memory).lexicon() })
        let restPart = Deferred(later: { [self] in Loader(directory: directory, today: today, memory: memory).rest() })
        lexiconPart.start()
        safetyPart.start()
        restPart.start()
        let bundleFile = read("bundle.txt", required: true)
        let bundleLocation = SourceLocation(file: path("bundle.txt"), line: 1, column: 1)
        var info: [String: String] = [:]
        if let bundleFile {
            checkFields(bundleFile.preamble, in: bundleFile, allowed: ["language", "name", "version"],
                        required: ["language", "name"], repeatable: [])
            for field in bundleFile.preamble.fields { info[field.key] = field.value }
        }

        // The place in `parsed` of each id's first topic, and of each topic kept, in order: their documents are read
        // from there (a table of the documents by id held a copy of each).
        var firstPlace: [String: Int] = [:]
        var kept: [Int] = []
        // Many topics are read on two threads: the second half of the names by a loader of its own. Topics being
        // indexed are read in the order of their ids (a topic's id is its file's name), the order the index numbers
        // them in; they are checked for repeated ids in the order of their files' names, as always.
        let listed = shelf != nil ? [] : listFiles("topics").filter { $0.hasSuffix(".txt") }
        let names = indexing == nil ? listed : listed.sorted { $0.dropLast(4) < $1.dropLast(4) }
        let half = names.count >= Loader.topicsForTwoThreads ? names.count / 2 : names.count
        let index: (@Sendable (Topic, Int) -> Void)?
        if let indexing {
            index = { topic, part in
                if let lexicon = lexiconPart.value.lexicon { indexing.read(topic, part: part, lexicon: lexicon) }
            }
        } else {
            index = nil
        }
        // A topic's references to sources and resources are checked as it is read (with those of resources.txt
        // and sources.txt, read meanwhile on their own thread), so that only its `see:` field waits for every id.
        let known = Deferred(later: {
            let rest = restPart.value
            return ReferenceIDs(sources: Set(rest.sources.map(\.id)), resources: Set(rest.resources.map(\.id)))
        })
        let secondHalf = Deferred(later: { [self] in
            var loader = Loader(directory: directory, today: today, memory: memory)
            let (parsed, topics) = loader.readTopics(names[half...], known: known, index: index.map { index in { index($0, 1) } })
            return (parsed: parsed, topics: topics, diagnostics: loader.diagnostics, examples: loader.examples)
        })
        if half < names.count { secondHalf.start() }
        var (parsed, topics) = readTopics(names[..<half], known: known, index: index.map { index in { index($0, 0) } })
        // The second half's topics stay where that thread put them: `parsed` and `later` are read as one list
        // (`readTopic(_:)`), never copied into one array (of a big bundle, a copy of every read topic at once).
        var later: [ReadTopic] = []
        if half < names.count {
            later = secondHalf.value.parsed
            topics += secondHalf.value.topics
            diagnostics += secondHalf.value.diagnostics
            examples.add(secondHalf.value.examples)
        }
        // Every topic is read: the index's parts are put together before the checks across files, not after.
        indexing?.allRead()
        let firstCount = parsed.count
        func readTopic(_ place: Int) -> ReadTopic { place < firstCount ? parsed[place] : later[place - firstCount] }
        // A topic's file is `topics/` and its name: the names sort as the files do. The places of the topics in
        // that order are sorted, not the topics.
        var order = Array(0..<(firstCount + later.count))
        if indexing != nil {
            let nameOf = order.map { readTopic($0).name }
            order.sort { names[nameOf[$0]] < names[nameOf[$1]] }
        }
        for place in order {
            let read = readTopic(place)
            let file = path("topics/" + names[read.name])
            if let earlier = firstPlace[read.id] {
                error("K020", "topic id '\(read.id)' is already used in \(path("topics/" + names[readTopic(earlier).name]))",
                      SourceLocation(file: file, line: read.idLine, column: 1))
                continue
            }
            firstPlace[read.id] = place
            kept.append(place)
        }
        order = []
        firstPlace = [:]

        let rest = restPart.value
        diagnostics += rest.diagnostics
        let (flows, flowDocuments) = (rest.flows, rest.flowDocuments)
        let (resourcesDocument, resources, sources) = (rest.resourcesDocument, rest.resources, rest.sources)
        let (uiDocument, messages) = (rest.uiDocument, rest.messages)
        let lexiconResult = lexiconPart.value
        let lexicon = lexiconResult.lexicon
        diagnostics += lexiconResult.diagnostics
        let safetyResult = safetyPart.value
        let safetyDocument = safetyResult.document
        let (safety, sos, safetyWords) = safetyResult.parsed
        diagnostics += safetyResult.diagnostics
        if let model = safetyResult.model {
            let sections = Set(safety.filter { $0.answer == nil }.map(\.id))
            for id in model.categories where !sections.contains(id) {
                error("K060", "the model names '\(id)', which is not an emergency section of safety.txt",
                      SourceLocation(file: path("safety-model.txt"), line: 1, column: 1))
            }
            // The topics' titles and example questions are calm lines of its training: other ones mean a model
            // that no longer fits the bundle (only known when the topics were read, not from a shelf).
            if shelf == nil, let trained = model.examples, trained != examples {
                warning("K063", "a title or example question changed since the model was trained (\(trained.count) then, \(examples.count) now): train it again (python3 bench/train_safety_model.py for Content/en)",
                        SourceLocation(file: path("safety-model.txt"), line: model.examplesLine, column: 1))
            }
        }

        // References across files.
        let topicIDs = Set(shelf?.ids ?? kept.map { readTopic($0).id })
        let resourceIDs = Set(resources.map(\.id))
        let sourceIDs = Set(sources.map(\.id))
        let flowIDs = Set(flows.keys)
        for place in kept {
            let read = readTopic(place)
            diagnostics += read.references
            checkReferences(read.see, file: path("topics/" + names[read.name]), known: topicIDs,
                            code: "K022", kind: "topic", fix: "use an id from topics/")
        }
        // The shelf's topics: each kept topic's id and title (indexed as read), or the whole topic.
        let shelved = indexing != nil ? kept.map { (readTopic($0).id, readTopic($0).title) } : []
        let keptTopics = indexing != nil ? [] : kept.map { topics[$0] }
        (parsed, later, topics) = ([], [], [])
        for id in flows.keys.sorted() {
            checkFlow(flows[id]!, document: flowDocuments[id]!, topics: topicIDs, flows: flowIDs,
                      sources: sourceIDs, resources: resourceIDs)
        }
        checkFlowWords(flows, documents: flowDocuments)
        if let safetyDocument {
            for section in safetyDocument.sections {
                for key in ["answer", "topics"] {
                    checkReferences(section, key, in: safetyDocument, known: topicIDs, code: "K022", kind: "topic",
                                    fix: "use an id from topics/")
                }
            }
        }

        // What every bundle must hold.
        if topicIDs.isEmpty {
            error("K049", "the bundle has no topics: add files to topics/", bundleLocation)
        }
        if info["language"] == "en" {
            for id in ContentRequirements.topics where !topicIDs.contains(id) {
                error("K040", "the required topic '\(id)' is missing: add topics/\(id).txt", bundleLocation)
            }
            for id in ContentRequirements.flows where !flowIDs.contains(id) {
                error("K041", "the required flow '\(id)' is missing: add flows/\(id).txt", bundleLocation)
            }
        }
        if let safetyDocument {
            let present = Set(safety.map(\.id))
            let safetyLocation = location(safetyDocument, 1)
            if safety.isEmpty {
                error("K042", "the safety set is empty: the guide cannot run without its crisis screen",
                      safetyLocation)
            }
            for id in ContentRequirements.safetyCategories where !present.contains(id) || safety.first(where: { $0.id == id })?.answer != nil {
                error("K042", "the safety category '\(id)' is missing: add a section '== \(id)'", safetyLocation)
            }
            if sos == nil {
                error("K042", "the section '== sos' is missing: it is what the word 'sos' shows", safetyLocation)
            }
        }
        if let uiDocument, let messages {
            for key in ContentRequirements.messages where messages.sections[key] == nil {
                error("K044", "the message '\(key)' is missing: add a section '== \(key)'", location(uiDocument, 1))
            }
            checkMenus(uiDocument, flows: flowIDs)
            checkPhrases(uiDocument, flows: flows)
        }

        if let resourcesDocument { checkReservedResource(resourcesDocument) }
        if let resourcesDocument { checkResourceLabels(resourcesDocument, labels: messages?.sections["resource-labels"]) }
        let education = loadEducation(topics: topicIDs, sources: sourceIDs, resources: resourceIDs, ui: uiDocument,
                                      messages: messages)

        guard let sos, let lexicon, let messages, !diagnostics.hasErrors else { return nil }
        var bundle = ContentBundle(
            language: info["language"] ?? "en", name: info["name"] ?? "", version: info["version"] ?? "",
            topics: shelf ?? (indexing != nil ? TopicShelf(lazy: shelved, directory: directory) : TopicShelf(keptTopics)),
            flows: flows, resources: resources,
            sources: Dictionary(uniqueKeysWithValues: sources.map { ($0.id, $0) }),
            safety: safety, sos: sos, safetyWords: safetyWords, lexicon: lexicon, messages: messages)
        bundle.safetyModel = safetyResult.model
        bundle.englishWords = rest.words
        bundle.course = education.course
        bundle.quiz = education.quiz
        return bundle
    }
}

extension Loader {
    /// From this many topic files on, they are read on two threads.
    static var topicsForTwoThreads: Int { Deferred<Int>.topicsForTwoThreads }

    /// The ids of sources.txt and resources.txt, which topics refer to.
    struct ReferenceIDs: Sendable {
        var sources: Set<String>
        var resources: Set<String>
    }

    /// A topic file read and parsed, as the checks across files need it: the topic's id and title, its file's
    /// place among the names read (its path is made again for a diagnostic), the line of its id (for a repeated
    /// id; 1 without one), its `see:` field (checked once every id is known), and the diagnostics of its
    /// references to sources and resources (made as it is read, and reported only if the topic is kept: a topic
    /// whose id is taken is not checked). Not its document, nor the rest of the topic: a big bundle's first start
    /// held more for the documents of its topics than for anything but its index.
    struct ReadTopic: Sendable {
        var id: String
        var title: String
        var name: Int
        var idLine: Int
        var see: RawField?
        var references: [Diagnostic]
    }

    /// Reads and parses topic files, in order (`ReadTopic`s; `known`: the ids they may refer to), and keeps each
    /// whole topic in the same order. With `index`, each topic is handed to it, in order, and not kept (`topics`
    /// is empty).
    mutating func readTopics(_ names: ArraySlice<String>, known: Deferred<ReferenceIDs>,
                             index: ((Topic) -> Void)? = nil) -> (parsed: [ReadTopic], topics: [Topic]) {
        var parsed: [ReadTopic] = []
        var topics: [Topic] = []
        parsed.reserveCapacity(names.count)
        for place in names.indices {
            let name = names[place]
            guard let document = read("topics/" + name, required: true) else { continue }
            guard let topic = parseTopic(document, stem: String(name.dropLast(4))) else { continue }
            examples.add(topic.title)
            for ask in topic.asks { examples.add(ask) }
            if let index { index(topic) } else { topics.append(topic) }
            let fields = document.preamble
            let before = diagnostics.count
            checkReferences(fields.field("sources"), file: document.file, known: known.value.sources, code: "K021",
                            kind: "source key", fix: "add it to sources.txt")
            checkReferences(fields.field("resources"), file: document.file, known: known.value.resources,
                            code: "K023", kind: "resource", fix: "use an id from resources.txt")
            let references = Array(diagnostics[before...])
            diagnostics.removeSubrange(before...)
            parsed.append(ReadTopic(id: topic.id, title: topic.title, name: place, idLine: fields.field("id")?.line ?? 1,
                                    see: fields.field("see"), references: references))
        }
        return (parsed, topics)
    }

    /// safety.txt read and parsed by a loader of its own: the document, what it holds, and the diagnostics.
    consuming func safety() -> SafetyPart {
        let document = read("safety.txt", required: true)
        let parsed = document.map { parseSafety($0) } ?? ([], nil, [:])
        // The second look is optional: a bundle without it has the triggers alone.
        let model = readText("safety-model.txt", required: false).flatMap {
            parseSafetyModel($0, file: path("safety-model.txt"))
        }
        return SafetyPart(document: document, parsed: parsed, model: model, diagnostics: diagnostics)
    }

    struct SafetyPart: Sendable {
        var document: RawDocument?
        var parsed: ([SafetyCategory], SafetyCategory?, [String: [String]])
        var model: SafetyModel?
        var diagnostics: [Diagnostic]
    }
}

extension Loader {
    /// lexicon.txt read and parsed by a loader of its own.
    consuming func lexicon() -> (lexicon: Lexicon?, diagnostics: [Diagnostic]) {
        let lexicon = readText("lexicon.txt", required: true).map { parseLexicon($0, file: path("lexicon.txt")) }
        return (lexicon, diagnostics)
    }

    /// Everything but bundle.txt, the topics, safety.txt and lexicon.txt, read and parsed by a loader of its own.
    consuming func rest() -> RestPart {
        var flows: [String: Flow] = [:]
        var flowDocuments: [String: RawDocument] = [:]
        for name in listFiles("flows") where name.hasSuffix(".txt") {
            guard let document = read("flows/" + name, required: true) else { continue }
            guard let flow = parseFlow(document, stem: String(name.dropLast(4))) else { continue }
            if let earlier = flowDocuments[flow.id] {
                error("K020", "flow id '\(flow.id)' is already used in \(earlier.file)", location(document, 1))
                continue
            }
            flowDocuments[flow.id] = document
            flows[flow.id] = flow
        }
        let resourcesDocument = read("resources.txt", required: true)
        let resources = resourcesDocument.map { parseResources($0) } ?? []
        let sourcesDocument = read("sources.txt", required: true)
        let sources = sourcesDocument.map { parseSources($0) } ?? []
        let uiDocument = read("ui.txt", required: true)
        let messages = uiDocument.map { parseMessages($0) }
        let words = readText("words.txt", required: false).map { parseWordList($0, file: path("words.txt")) }
        return RestPart(flows: flows, flowDocuments: flowDocuments, resourcesDocument: resourcesDocument,
                        resources: resources, sources: sources,
                        uiDocument: uiDocument, messages: messages, words: words ?? .empty, diagnostics: diagnostics)
    }

    struct RestPart: Sendable {
        var flows: [String: Flow]
        var flowDocuments: [String: RawDocument]
        var resourcesDocument: RawDocument?
        var resources: [Resource]
        var sources: [Source]
        var uiDocument: RawDocument?
        var messages: Messages?
        var words: WordList
        var diagnostics: [Diagnostic]
    }
}

/// Reads topics as the loader parses them (the matcher's index builder), so that the first start of a big bundle
/// never holds every topic's text at once.
package protocol TopicIndexing: AnyObject, Sendable {
    /// Reads the next topic of part `part`, with the bundle's lexicon. Part 0 is the first half of the topics
    /// sorted by id, read on the loader's thread; part 1 the second half, on a thread of its own (when the bundle
    /// has `Deferred.topicsForTwoThreads` topics or more). Each part's topics come in order, all on one thread. Not
    /// called when lexicon.txt does not read; the topics of a bundle with errors may be left out.
    func read(_ topic: Topic, part: Int, lexicon: Lexicon)

    /// Every part is read (their threads joined): called once, on the loader's thread, before the checks across
    /// files, so that what is read is put together while the loader holds the least.
    func allRead()
}
