import GuideContent

/// Finds the topic that answers a free-text question, with the lexicon's synonyms and tolerant spelling.
///
/// Ranking: naive Bayes over a word model of each topic (title words count 3, example-question words 2, answer
/// words 0.3, word pairs half, in the question too), so the topic whose words best explain the question's words
/// comes first.
/// Deciding: a question falls back when no topic holds enough of its rare words (IDF-weighted coverage; words no
/// topic uses count against it unless the question names the subject), asks "did you mean" when the second topic
/// is nearly as likely as the first, and otherwise answers.
public struct Matcher: Sendable {
    /// What the matcher decided for one question.
    public enum Decision: Hashable, Sendable {
        /// One topic is clearly best.
        case answer(String)
        /// Two or more topics are close, best first.
        case clarify([String])
        /// Nothing in the bundle fits.
        case fallback
    }

    /// A ranked candidate.
    public struct Candidate: Hashable, Sendable {
        public var id: String
        public var score: Double
    }

    /// Why the matcher decided what it did, for the `why` word and `ask --json`.
    public struct Explanation: Hashable, Sendable {
        /// The terms looked up, after synonyms, spelling and stemming.
        public var terms: [String]
        /// Terms of the question found in the best topic.
        public var matched: [String]
        public var synonyms: [Analyzer.Replacement]
        /// Spelling corrections: what was written and the word used instead.
        public var corrections: [Analyzer.Replacement]
        /// The best candidates with their scores, best first.
        public var top: [Candidate]
        /// Word pairs of the question found in the best topic's title or example questions, as written.
        public var phrases: [String] = []
        /// The topic a follow-up question was read with ("how long does that last?" after an answer).
        public var context: String?
        /// Why the decision is what it is.
        public var reason: Reason = .nothingKnown
    }

    /// The rule that made the decision, for `why`.
    public enum Reason: Hashable, Sendable {
        /// An example question of the topic has exactly the question's words.
        case exampleQuestion
        /// The best topic scored this many times the second (or nothing else scored).
        case ahead(Double)
        /// Two or more topics scored within `clarifyRatio` of the best.
        case close
        /// A follow-up read with the last topic would show that topic again, though the topic never speaks of what
        /// the question asks, and the question alone answers with another: either may be meant.
        case followUpOrOwn
        /// A question of only common words ("so what do i do") right after an answer, which read with that answer
        /// finds only it again: a fallback, for which the conversation offers the topics that go with it.
        case vagueFollowUp
        /// The guide's words cover only this share of the question's weight (IDF; unknown words count unless the
        /// question names the subject).
        case littleMatched(Double)
        /// No word of the question is a word any topic uses.
        case nothingKnown
        /// The only known words are ones most topics use.
        case onlyCommonWords
        /// The question names something the guide does not cover and not clonazepam or benzodiazepines: another
        /// medicine, as written ("lexapro"), or a substance it is about coming off, as the lexicon reads it
        /// ("alcohol" for "beer withdrawal").
        case namesOther(String)
    }

    /// The result of matching one question.
    public struct Result: Hashable, Sendable {
        public var decision: Decision
        public var explanation: Explanation
    }

    /// How much a word counts in a topic's word model, by field (title, example questions, answer text), and how
    /// much a word pair counts against a single word. The ranking is naive Bayes over these counts: the topic
    /// whose words best explain the question's words comes first.
    static let weights = [3.0, 2.0, 0.3]
    static let pairWeight = 0.5
    /// `weights` as whole numbers of `weightUnit` (a pair: half as many).
    static let weightUnits: [UInt32] = [60, 40, 6]
    static let weightUnit = 0.05
    /// How much a term of the question counts in the ranking: its IDF to this power (the square root). A word
    /// few topics use ("epilepsy", "gaba") says more about the question than one most topics use ("stop",
    /// "withdrawal"), so it is not outvoted by them.
    static let rarityPower = 0.5
    /// Added to every count, so a word a topic never uses lowers its score without ruling it out.
    static let smoothing = 1.0
    /// Ask which topic was meant when the second topic is at least this likely, relative to the best.
    static let clarifyRatio = 0.85
    /// A follow-up ("does that get better?") keeps its own answer when the best topic leads by this much.
    static let confidentRatio = 1.5
    /// A follow-up of at most this many terms is always read with the last topic.
    static let shortFollowUp = 3
    /// A follow-up whose own reading leads by this much, with a word few topics use (`rareWordWeight`), is answered
    /// so, even when read with the last topic it would be that topic again ("what side effects does it have" after
    /// pregnancy).
    static let ownSubjectRatio = 20.0
    /// A word at least this weight (its IDF: in about one topic in five or fewer) says what a question is about.
    static let rareWordWeight = 1.5
    /// Below this share of the question's weight found in the best topic, fall back; words no topic uses count
    /// in the question's weight.
    static let minimumCoverage = 0.75
    /// The same for a question that names the subject only with a broad word of the lexicon (taper, stop,
    /// withdrawal, sleep...): less of it needs to be found, and its unknown words count, everyday ones half ("how
    /// do i taper off prednisone" is not about clonazepam).
    static let minimumCoverageInDomain = 0.25
    /// A word of the lexicon that nearly every topic uses (clonazepam, benzo, prescriber; at most this weight)
    /// names the subject outright: the question's unknown words do not count.
    static let subjectWordWeight = 0.1
    /// The weight of a word that half of the topics use: a word this common says nothing about which one fits.
    static let commonWordWeight = log1p(1.0)
    /// A question with no word of the lexicon that names the subject (not even "taper" or "sleep") falls back
    /// when the best topic holds less than this share of its weight (IDF; its unknown words count, as in the
    /// coverage rule): "how to learn spanish fast" shares only "fast" with the best topic, though "spanish" and
    /// "learn" are words of other topics, so the coverage rule alone lets it through.
    static let minimumBestCoverage = 0.3

    public let analyzer: Analyzer
    /// Everyday English (the bundle's words.txt): a word on it is mended only into a word of the same stem.
    public var englishWords: WordList = .empty
    /// The topics' ids, in document order (the bundle's: by id).
    let documentIDs: [String]
    /// The sum of each topic's weighted counts: the size of its word model.
    private let documentTotals: Flat<Double>
    /// Every term any topic uses (word or pair), numbered: the key to the postings.
    private let termTable: TermTable
    /// For each term, the topics that use it and how much (and so how rare it is, its IDF): an inverted index, so
    /// a question costs as much as its words' topics, not as much as the bundle.
    private let postings: Postings
    /// The title and every example question of each topic as a set of terms, keyed by their stems' numbers
    /// (`exampleKey`): a question with exactly the words of one is answered by that topic. Key `k`'s topics are
    /// `exampleDocuments[exampleStarts[k] ..< exampleStarts[k + 1]]`.
    private let examples: StringTable
    private let exampleStarts: Flat<Int32>
    private let exampleDocuments: Flat<Int32>
    /// The words of titles, example questions and the lexicon, sorted, with how often the topics use them
    /// (`spellingFrequencies`), so corrections do not depend on a dictionary's order. A word people type is mended
    /// into a word people ask with, never into a rare word of an answer's text ("weather" is not read as
    /// "whether").
    private let spellings: StringList
    private let spellingFrequencies: Flat<Int32>
    /// Which words of `spellings` an unknown word is compared with.
    private let spellingIndex: SpellingIndex
    /// The lexicon's words, as terms: a question with one of them is about the guide's subject.
    private let domain: Set<String>
    /// The weight of a word no topic uses: as rare as a word of one topic.
    private let unknownWeight: Double
    /// How many distinct terms (words and pairs) the topics use, for smoothing.
    private let modelSize: Double

    public init(topics: [Topic], lexicon: Lexicon) {
        self.init(topics: topics, lexicon: lexicon, words: { _ in })
    }

    /// The matcher of `topics`; `words` gets every word they use, as written (of their titles, example questions
    /// and answer texts), read once for both, before the postings are made.
    init(topics: [Topic], lexicon: Lexicon, words: (WrittenWords) -> Void) {
        var builder = Matcher.build(topics, analyzer: Analyzer(lexicon: lexicon))
        self.init(builder: &builder, lexicon: lexicon, words: words)
    }

    /// The matcher of the topics `builder` read, with the lexicon its analyzer was made with; `words` gets every
    /// word they use, as written, before the postings are made. The builder is emptied: each of its tables is let
    /// go of as soon as what it is made into is made. `beforeTables` returns when the big tables may be made (a
    /// first start's loader has then let go of what it read).
    init(builder: inout IndexBuilder, lexicon: Lexicon, words: (WrittenWords) -> Void, beforeTables: () -> Void = {}) {
        analyzer = builder.analyzer
        domain = Matcher.domain(analyzer, lexicon)
        // Each of the builder's tables is let go of as soon as what it is made into is made, and the postings (the
        // biggest) come last, so that a big bundle's index is never held twice.
        let written = builder.takeWrittenWords()
        documentIDs = builder.documentIDs
        documentTotals = Flat(builder.totals)
        builder.totals = []
        // The words people ask with (of titles and example questions) and the lexicon's, with how often the
        // topics use them (a lexicon word no topic uses: once).
        var spelled: [(term: String, frequency: Int32)] = []
        for stem in builder.asked.indices where builder.asked[stem] {
            spelled.append((builder.stems[stem], builder.uses[stem]))
        }
        for term in domain {
            if let stem = builder.stems.number(ofString: term), builder.terms.number(ofStem: stem) != nil {
                if !builder.asked[Int(stem)] { spelled.append((term, builder.uses[Int(stem)])) }
            } else {
                spelled.append((term, 1))
            }
        }
        builder.asked = []
        builder.uses = []
        spelled.sort { $0.term < $1.term }
        spellings = StringList(spelled.map(\.term))
        spellingFrequencies = Flat(spelled.map(\.frequency))
        spellingIndex = SpellingIndex((0..<spellings.count).lazy.map(spellings.bytes))
        modelSize = Double(max(builder.terms.count, 1))
        let count = Double(max(documentIDs.count, 1))
        unknownWeight = log1p((count - 1 + 0.5) / 1.5)
        // The stems and the terms are only read by number from here: their hash tables go.
        builder.stems.dropSlots()
        builder.terms.dropSlots()
        beforeTables()
        // The term table first, as the postings number the terms as it does (pairs by their stems); the builder's
        // stems and terms go once it is made.
        var renumbered: [Int32]
        (termTable, renumbered) = builder.terms.table(stems: builder.stems.takeList())
        builder.terms = TermNumbering()
        // What the builder let go of goes back to the system before the biggest table is made.
        Matcher.releaseFreedMemory()
        // Topic after topic, each of its counts goes to the next place of its term, so each term's postings are in
        // topic order; each block of lists is let go of once placed.
        postings = Postings(counts: &builder.counts, later: &builder.laterCounts, terms: renumbered.count,
                            renumbered: renumbered)
        renumbered = []
        Matcher.releaseFreedMemory()
        // Only now are the words handed over: what is made of them (the crisis screen, on another thread, while the
        // example table is made) then comes on top of the least the matcher holds while it is made, not on top of
        // the counts and postings at once.
        words(written)
        // The keys in the order they were first read, each with its topics in topic order.
        let (keys, exampleStarts, exampleDocuments) = builder.exampleKeys.takeTable()
        examples = StringTable(list: keys)
        self.exampleStarts = Flat(exampleStarts)
        self.exampleDocuments = Flat(exampleDocuments)
    }

    /// The lexicon's words as terms.
    private static func domain(_ analyzer: Analyzer, _ lexicon: Lexicon) -> Set<String> {
        Set(lexicon.entries.flatMap { entry in analyzer.terms(entry.canonical) })
    }

    /// Adds the matcher's tables to an image (`init(reader:lexicon:)` reads them back; `CompiledIndex.version`
    /// names their layout).
    func write(to writer: inout ImageWriter) {
        writer.add([unknownWeight, modelSize])
        writer.add(StringList(documentIDs))
        writer.add(documentTotals)
        termTable.write(to: &writer)
        postings.write(to: &writer)
        writer.add(examples)
        writer.add(exampleStarts)
        writer.add(exampleDocuments)
        writer.add(spellings)
        writer.add(spellingFrequencies)
        spellingIndex.write(to: &writer)
    }

    /// The matcher whose tables `write(to:)` added to an image, with the lexicon it was built with; nil when the
    /// tables' sizes do not fit together. A number that indexes another table (a topic of a posting, a range of
    /// postings) is checked where it is used (`range(_:_:within:)`, `isTopic`): a damaged file gives wrong
    /// answers, never a crash, and opening a big index reads only what a question needs.
    init?(reader: inout ImageReader, lexicon: Lexicon) {
        guard let scalars = reader.flat(Double.self), scalars.count == 2, let ids = reader.list(),
              let totals = reader.flat(Double.self), totals.count == ids.count,
              let termTable = TermTable(reader: &reader), let postings = Postings(reader: &reader, terms: termTable.count),
              let examples = reader.table(), let exampleStarts = reader.flat(Int32.self),
              let exampleDocuments = reader.flat(Int32.self), exampleStarts.count == examples.count + 1,
              let spellings = reader.list(), let spellingFrequencies = reader.flat(Int32.self),
              spellingFrequencies.count == spellings.count,
              let spellingIndex = SpellingIndex(reader: &reader, words: spellings.count)
        else { return nil }
        analyzer = Analyzer(lexicon: lexicon)
        domain = Matcher.domain(analyzer, lexicon)
        documentIDs = ids.strings
        documentTotals = totals
        self.termTable = termTable
        self.postings = postings
        self.examples = examples
        self.exampleStarts = exampleStarts
        self.exampleDocuments = exampleDocuments
        self.spellings = spellings
        self.spellingFrequencies = spellingFrequencies
        self.spellingIndex = spellingIndex
        unknownWeight = scalars[0]
        modelSize = scalars[1]
    }

    /// Range `index` of a table cut by `starts`; empty when it is out of order or out of bounds (a damaged file).
    private static func range(_ starts: Flat<Int32>, _ index: Int, within count: Int) -> Range<Int> {
        let start = Int(starts[index])
        let end = Int(starts[index + 1])
        return start >= 0 && start <= end && end <= count ? start..<end : 0..<0
    }

    /// Whether `number` is a topic's (a damaged file may hold any number).
    private func isTopic(_ number: Int32) -> Bool { number >= 0 && Int(number) < documentIDs.count }

    /// The topics' ids, in the order the matcher numbers them.
    public var topicIDs: [String] { documentIDs }

    /// How rare a term is across the topics (IDF, from the number of topics that use it); nil for a term no topic
    /// uses.
    private func inverseFrequency(_ term: String) -> Double? {
        termTable.index(of: term).map { id in
            let count = Double(max(documentIDs.count, 1))
            let n = Double(postings.documentFrequency(id))
            return log1p((count - n + 0.5) / (n + 0.5))
        }
    }

    /// Ranks the topics for `question` and decides: answer, clarify or fallback. With `context` (the topic just
    /// shown), a question that points back at it ("how long does that last?", "what about at night?") is read
    /// with that topic's title added.
    public func match(_ question: String, context: Topic? = nil) -> Result {
        let plain = match(question, with: nil)
        guard let context else { return plain }
        let words = TextNormalizer.words(question)
        // A question made only of words most topics use ("so what do i do", "what if i feel bad after a cut"),
        // right after an answer, can only be about it: read with it, it gets the topic that reading finds, unless
        // that is the same topic again; then it is a vague follow-up (`Conversation` offers the topics that go
        // with the last answer). Not one with a word no topic uses: "whats the weather tomorrow" is about
        // something else.
        if !analyzer.isFollowUp(words) {
            guard plain.decision == .fallback, plain.explanation.reason == .onlyCommonWords,
                  plain.explanation.terms.allSatisfy({ inverseFrequency($0) != nil || $0.utf8.count <= 2 })
            else { return plain }
            let read = match(question, with: context)
            if case .answer(let id) = read.decision, id != context.id { return read }
            var vague = plain
            vague.explanation.context = context.id
            vague.explanation.reason = .vagueFollowUp
            return vague
        }
        // Only a question that points back ("that", "those", "what about") is read with the last topic: a short
        // one always ("how long does that last?"), a longer one only when it is unsure on its own.
        let confident: Bool
        switch plain.explanation.reason {
        case .exampleQuestion: confident = true
        case .ahead(let ratio): confident = ratio >= Matcher.confidentRatio
        default: confident = false
        }
        let short = plain.explanation.terms.count <= Matcher.shortFollowUp
        if plain.explanation.reason == .exampleQuestion || (confident && !short) { return plain }
        // Read with the last topic, a follow-up that opens a new side ("what about seizures?" after stopping
        // suddenly; not "how long does that last?", which points back) and lands on that topic again, while the
        // question alone answers with another, gets the question alone's answer rather than the same topic twice.
        // A follow-up that points back ("how long does that last?" after coping with anxiety), when the question
        // alone clearly answers with another topic, may mean either: the guide asks, the other topic first, rather
        // than show the same answer again or guess ("how common is that?" alone is the symptoms topic, which is not
        // what it means after mixing). When the question alone is unsure, it asks only if the question has two
        // terms or more and the topic just shown never speaks of them: the topics it finds, then the last one
        // ("he is 80 if that matters" after a taper's pace: older adults, or the pace).
        // One word alone ("is it dangerous?", "is that normal?") says too little to set against the last topic.
        let read = match(question, with: context)
        guard case .answer(let again) = read.decision, again == context.id else { return read }
        let others: [String]
        switch plain.decision {
        case .answer(let other): others = [other]
        case .clarify(let ids): others = ids
        case .fallback: others = []
        }
        let alternatives = others.filter { $0 != context.id }
        guard !alternatives.isEmpty, confident || plain.explanation.terms.count >= 2 else { return read }
        if analyzer.opensNewSide(words), case .answer = plain.decision { return plain }
        // A confident reading that names a subject of its own, one the last topic's title does not ("could she
        // have a seizure from it" after older adults, "can i drink on it" after sleep), is that subject's topic:
        // "it" is the medicine, not the last answer.
        if confident, case .answer = plain.decision, namesOwnSubject(plain.explanation.terms, apartFrom: context) {
            return plain
        }
        // A reading far ahead on its own, with a word few topics use that the last topic's title does not hold,
        // names its own subject, whatever "it" points at ("what side effects does it have" after pregnancy; "is
        // there anyone who specializes in that" after protracted withdrawal): it is answered, not offered beside
        // the last topic. Not "why does that happen?", whose words most topics use: it points back.
        if case .answer = plain.decision, case .ahead(let ratio) = plain.explanation.reason,
           ratio >= Matcher.ownSubjectRatio, holdsRareWord(plain.explanation.terms, apartFrom: context) {
            return plain
        }
        // A confident reading of its own is always offered ("how long does that last?" after protracted withdrawal,
        // which says how long too, is the timeline's); an unsure one only when the last topic never uses its words.
        guard confident || !speaks(of: plain.explanation.terms, in: context.id) else { return read }
        var either = read
        either.decision = .clarify(Array(alternatives.prefix(2)) + [context.id])
        either.explanation.reason = .followUpOrOwn
        return either
    }

    /// Whether `terms` hold a word of the subject (a lexicon word, not an everyday one) that not nearly every topic
    /// uses ("seizure", "alcohol"; not "clonazepam") and that `context`'s title does not hold.
    private func namesOwnSubject(_ terms: [String], apartFrom context: Topic) -> Bool {
        let title = Set(analyzer.terms(context.title + " " + context.id.replacingDashes()))
        return terms.contains { term in
            domain.contains(term) && !analyzer.isEverydayWord(term) && !title.contains(term)
                && (inverseFrequency(term) ?? 0) > Matcher.subjectWordWeight
        }
    }

    /// Whether `terms` hold a word that few topics use (`rareWordWeight`) and that `context`'s title does not hold.
    private func holdsRareWord(_ terms: [String], apartFrom context: Topic) -> Bool {
        let title = Set(analyzer.terms(context.title + " " + context.id.replacingDashes()))
        return terms.contains { !title.contains($0) && (inverseFrequency($0) ?? 0) >= Matcher.rareWordWeight }
    }

    /// Whether topic `id` uses every term of `terms` that any topic uses (in its title, example questions or
    /// answer text). Word pairs are not asked about: a topic's answer text holds none ("sleep gets better").
    private func speaks(of terms: [String], in id: String) -> Bool {
        guard let index = documentIDs.firstIndex(of: id) else { return false }
        return terms.allSatisfy { inverseFrequency($0) == nil || uses($0, index) }
    }

    /// `match` with the words of `context`'s title added, when given.
    private func match(_ question: String, with context: Topic?) -> Result {
        var synonyms: [Analyzer.Replacement] = []
        var corrections: [Analyzer.Replacement] = []
        let words = TextNormalizer.words(question).map { word -> String in
            guard termTable.index(of: Analyzer.stem(word)) == nil, !analyzer.isIgnored(word), !analyzer.isLexiconWord(word),
                !analyzer.isEverydayWord(word), let fixed = mended(word), fixed != word,
                !englishWords.contains(word) || Matcher.sameStem(word, fixed)
            else { return word }
            corrections.append(Analyzer.Replacement(written: word, canonical: fixed))
            return fixed
        }
        var terms = analyzer.terms(words: words, replacements: &synonyms)
        var contextID: String?
        if let context {
            terms += analyzer.terms(context.title + " " + context.id.replacingDashes())
            contextID = context.id
        }
        // Word pairs the titles and example questions use ("how long", "what is"): phrase matches.
        let phraseTexts = analyzer.phrases(words: words).filter { inverseFrequency($0.term) != nil }
        let pairs = phraseTexts.map(\.term)
        let known = Array(Set(terms.filter { inverseFrequency($0) != nil } + pairs)).sorted()
        // Words no topic uses ("lasagna", "router") count against a match, unless the question names the subject.
        let unknown = Set(terms.filter { inverseFrequency($0) == nil && $0.utf8.count > 2 })
        // A lexicon word names the subject unless it is an everyday word ("people", "family", "low").
        // A word mended into a word of the subject does not say the question is about it ("slipping" is two slips
        // from "sleeping"): a word of the subject written as such does.
        let mendedTerms = corrections.flatMap { analyzer.terms($0.canonical) }
        let inDomain = terms.contains { term in
            domain.contains(term) && !analyzer.isEverydayWord(term)
                && terms.count(where: { $0 == term }) > mendedTerms.count(where: { $0 == term })
        }
        var explanation = Explanation(terms: terms, matched: [], synonyms: synonyms, corrections: corrections, top: [],
                                      context: contextID)
        guard !known.isEmpty else { return Result(decision: .fallback, explanation: explanation) }

        // How much of the question the guide's words cover is counted in single words: a pair ("what is") is no
        // evidence that a question belongs to the guide.
        let wordWeight = known.reduce(0) { $1.contains(" ") ? $0 : $0 + inverseFrequency($1)! }
        let wordWeightWithUnknown = wordWeight + Double(unknown.count) * unknownWeight
        var ranked: [Candidate] = []
        // Topics with an example question made of exactly the question's words: labelled data, trusted first.
        let questionTerms = Set(known.filter { !$0.contains(" ") })
        var exact: [String] = []
        // The question's terms as counted by the model: every known word as often as it is written, and its pairs.
        var counts: [String: Int] = [:]
        for term in terms where inverseFrequency(term) != nil { counts[term, default: 0] += 1 }
        for pair in pairs { counts[pair, default: 0] += 1 }
        // A pair counts half as much as a word in the question, as in the topics' word models: "is that" and
        // "make me" are weaker evidence than "drowsy".
        // Each term also counts by how rare it is (`rarityPower`), in the likelihood and in its length alike.
        var rarity: [String: Double] = [:]
        for term in counts.keys { rarity[term] = pow(inverseFrequency(term)!, Matcher.rarityPower) }
        // Summed in term order, as the gains are: the same question gets the same scores to the last digit.
        let sortedCounts = counts.sorted { $0.key < $1.key }
        let total = sortedCounts.reduce(0.0) {
            $0 + Double($1.value) * ($1.key.contains(" ") ? Matcher.pairWeight : 1) * rarity[$1.key]!
        }
        // Naive Bayes with the index: a topic's log-likelihood is the same sum for every topic (each term as if
        // unused) plus, for the terms it does use, what they add. Only topics that share a word are candidates.
        let unused = log(Matcher.smoothing)
        // By topic number: what the question's terms add, and whether the topic shares a word with it.
        var gain = [Double](repeating: 0, count: documentIDs.count)
        var isCandidate = [Bool](repeating: false, count: documentIDs.count)
        let logs = Matcher.smoothedLogs
        withExtendedLifetime(postings) {
            for (term, count) in sortedCounts {
                let isPair = term.contains(" ")
                let weight = Double(count) * (isPair ? Matcher.pairWeight : 1) * rarity[term]!
                guard let id = termTable.index(of: term) else { continue }
                var list = postings.list(id)
                gain.withUnsafeMutableBufferPointer { gain in
                    isCandidate.withUnsafeMutableBufferPointer { isCandidate in
                        while let (document, units) = list.next(), document < gain.count {
                            let smoothed = Int(units) < logs.count ? logs[Int(units)] : Matcher.smoothedLog(units)
                            gain[document] += weight * (smoothed - unused)
                            if !isPair { isCandidate[document] = true }
                        }
                    }
                }
            }
        }
        var likelihoods: [(index: Int, value: Double)] = []
        for index in documentIDs.indices where isCandidate[index] {
            let size = documentTotals[index] + Matcher.smoothing * modelSize
            likelihoods.append((index, gain[index] + total * (unused - log(size))))
        }
        if let key = exampleKey(of: questionTerms) {
            for position in Matcher.range(exampleStarts, key, within: exampleDocuments.count)
            where isTopic(exampleDocuments[position]) {
                exact.append(documentIDs[Int(exampleDocuments[position])])
            }
        }
        // Scores are the candidates' shares of the question's likelihood: they sum to 1. Only the best few are
        // kept, in order (score, then id): the same as sorting them all, without the cost of it in a big bundle.
        let best = likelihoods.map(\.value).max() ?? 0
        let shares = likelihoods.map { exp($0.value - best) }
        let sum = shares.reduce(0, +)
        let candidateCount = likelihoods.count
        var bestIndexes: [Int] = []
        for (position, entry) in likelihoods.enumerated() {
            let score = shares[position] / sum
            if ranked.count == Matcher.ranked, let last = ranked.last {
                if score < last.score || (score == last.score && documentIDs[entry.index] >= last.id) { continue }
            }
            let candidate = Candidate(id: documentIDs[entry.index], score: score)
            let at = ranked.firstIndex { Matcher.precedes(candidate, $0) } ?? ranked.count
            ranked.insert(candidate, at: at)
            bestIndexes.insert(entry.index, at: at)
            if ranked.count > Matcher.ranked {
                ranked.removeLast()
                bestIndexes.removeLast()
            }
        }
        explanation.top = ranked
        // A question whose only known words are ones most topics use ("not sure", "tell me more") is no question
        // the bundle answers, unless it names the subject.
        let onlyCommonWords = !inDomain
            && known.allSatisfy { $0.contains(" ") || inverseFrequency($0)! < Matcher.commonWordWeight }
        // Whether the question belongs to the guide at all: how much of its weight the topics' words hold.
        // A word read from an everyday word ("pin", "wafer") or from a mended spelling ("klondike" is one slip from
        // "klonie") does not name the subject outright: "how to pin a tab in chrome" is not about clonazepam.
        func isSubjectWord(_ term: String) -> Bool {
            domain.contains(term) && (inverseFrequency(term) ?? .infinity) <= Matcher.subjectWordWeight
        }
        let mendedWords = Set(corrections.map(\.canonical))
        let weakNames = synonyms.filter { replacement in
            (analyzer.isEverydayWord(replacement.written) || mendedWords.contains(replacement.written))
                && analyzer.terms(replacement.canonical).contains(where: isSubjectWord)
        }.count + corrections.filter { correction in
            !synonyms.contains { $0.written == correction.canonical } && isSubjectWord(Analyzer.stem(correction.canonical))
        }.count
        let namesSubject = terms.filter(isSubjectWord).count > weakNames
        let everydayUnknown = Double(unknown.filter(analyzer.isEverydayWord).count)
        let unknownInDomain = (Double(unknown.count) - everydayUnknown / 2) * unknownWeight
        let questionWeight = namesSubject ? wordWeight : inDomain ? wordWeight + unknownInDomain : wordWeightWithUnknown
        let coverage = wordWeight > 0 ? wordWeight / questionWeight : 0
        // A question with exactly the words of one example question, and no word the guide does not know, is that
        // topic's even when its words are common ones ("i need help"): the example says so.
        let exampleAnswer = exact.count == 1 && unknown.isEmpty
        // A lexicon word that is also an everyday word and that no topic uses names something the guide does not
        // cover (another medicine: "effexor", "prednisone"): a question with one that does not name the subject
        // outright is not the guide's, however many of its other words are ("coming off zoloft brain zaps").
        // So is a question about coming off a substance the guide does not cover ("alcohol withdrawal", "tapering
        // off oxycodone"), though the topics use its word: they speak of it only with clonazepam.
        let other = terms.first {
            domain.contains($0) && analyzer.isEverydayWord($0) && inverseFrequency($0) == nil
        }.map { other in synonyms.first { $0.canonical == other }?.written ?? other }
        if let other = other ?? analyzer.substanceNotCovered(words), !namesSubject {
            explanation.reason = .namesOther(other)
            return Result(decision: .fallback, explanation: explanation)
        }
        guard let first = ranked.first, exampleAnswer || !onlyCommonWords,
              coverage >= (inDomain ? Matcher.minimumCoverageInDomain : Matcher.minimumCoverage) else {
            explanation.reason = onlyCommonWords ? .onlyCommonWords : .littleMatched(coverage)
            return Result(decision: .fallback, explanation: explanation)
        }
        // The share of the question's weight that the best topic itself holds, for a question with no word of the
        // subject: words scattered over several topics are not a question about one of them. A question whose only
        // word of the subject is one broad word ("taper", "sleep", "seizure", "withdrawal") is held to the same
        // rule, a little less strictly, whether or not its other words are ones the topics use ("a taper haircut",
        // "my dog had a seizure", "how to stop snoring", "last day for withdrawing from a class").
        let subjectTerms = Set(terms.filter { domain.contains($0) && !analyzer.isEverydayWord($0) })
        let oneBroadWord = inDomain && !namesSubject && subjectTerms.count == 1
        if !inDomain || oneBroadWord, !exampleAnswer, let index = bestIndexes.first {
            let held = known.reduce(0.0) { sum, term in
                term.contains(" ") || !uses(term, index) ? sum : sum + inverseFrequency(term)!
            }
            let bestCoverage = held / questionWeight
            if bestCoverage < (inDomain ? Matcher.minimumBestCoverageOneBroadWord : Matcher.minimumBestCoverage) {
                explanation.reason = .littleMatched(bestCoverage)
                return Result(decision: .fallback, explanation: explanation)
            }
        }
        func explain(_ id: String) {
            let position = ranked.firstIndex { $0.id == id }
            guard let index = position.map({ bestIndexes[$0] }) ?? documentIDs.firstIndex(of: id) else {
                return
            }
            let found = known.filter { term in uses(term, index) }
            explanation.matched = found.filter { !$0.contains(" ") }
            explanation.phrases = phraseTexts.filter { found.contains($0.term) }.map(\.text)
        }
        // Only when every word is one the guide knows: "cheap flights to denver" is not "cheap" (a sliding fee).
        if exampleAnswer, let id = exact.first {
            explain(id)
            explanation.reason = .exampleQuestion
            return Result(decision: .answer(id), explanation: explanation)
        }
        explain(first.id)
        let close = ranked.prefix(3).filter { $0.score >= first.score * Matcher.clarifyRatio }
        if close.count > 1 {
            explanation.reason = .close
            return Result(decision: .clarify(close.map(\.id)), explanation: explanation)
        }
        explanation.reason = .ahead(candidateCount > 1 ? first.score / ranked[1].score : .infinity)
        return Result(decision: .answer(first.id), explanation: explanation)
    }

    /// The word or term to read instead of `word`, a word no topic uses: the closest word of the titles,
    /// example questions and lexicon (`correction`), or of the lexicon's variants when one of them is closer;
    /// else the closest to its stem (the vocabulary holds stems: "efects" → "efect" → "effect").
    ///
    /// A mend of two edits keeps the word's first letter: a slip of two letters in a long word ("clonazapam",
    /// "withdrawel") rarely changes how it starts, while a real word two edits from a guide word usually does
    /// ("leaving" is not "having", "candles" not "handle", "eviction" not "adiction").
    func mended(_ word: String) -> String? {
        let target = Array(word.utf8)
        func fits(_ fixed: String, _ distance: Int) -> Bool { distance < 2 || fixed.utf8.first == target.first }
        let variant = analyzer.variantCorrection(for: word).flatMap { fits($0.word, $0.distance) ? $0 : nil }
        if let fixed = correction(for: word) {
            let distance = Matcher.editDistance(target, Array(fixed.utf8), limit: 2)
            if let variant, variant.distance < distance { return variant.word }
            if fits(fixed, distance) { return fixed }
            return variant?.word
        }
        return variant?.word ?? correction(for: Analyzer.stem(word))
    }

    /// Whether two words differ only in an ordinary English ending: after a shared start of at least four
    /// letters, what is left of each is one of `endings` ("managing" and "manage", "roughly" and "rough",
    /// "jitters" and "jittery"; not "browser" and "brother", "mode" and "more", "swear" and "sweat", "bloom" and
    /// "blood"). An English word is mended only so.
    static func sameStem(_ a: String, _ b: String) -> Bool {
        let (a, b) = (Array(a.utf8), Array(b.utf8))
        let shared = zip(a, b).prefix { $0 == $1 }.count
        guard shared >= 4 else { return false }
        return endings.contains(String(decoding: a[shared...], as: UTF8.self))
            && endings.contains(String(decoding: b[shared...], as: UTF8.self))
    }

    /// The endings `sameStem` allows (and none).
    static let endings: Set<String> = ["", "s", "es", "e", "ed", "d", "ing", "ly", "y", "ies", "ied", "ier", "er",
                                       "ers", "ily", "al", "ally"]

    /// `log(weight + smoothing)` of a posting's count (in `weightUnit`s): from a table for the common small counts,
    /// the same value.
    static func smoothedLog(_ units: UInt32) -> Double {
        Int(units) < smoothedLogs.count ? smoothedLogs[Int(units)] : log(Double(units) * weightUnit + smoothing)
    }

    static let smoothedLogs: [Double] = (0..<4096).map { log(Double(UInt32($0)) * weightUnit + smoothing) }

    /// From this many topics on, the index is built on two threads (the loader's cut-off too).
    static var topicsForTwoThreads: Int { Deferred<Int>.topicsForTwoThreads }

    /// The word models of `topics`, and the size of each: many topics are read on two threads, the second half by
    /// a builder of its own merged after (the same numbers and counts as one builder reading them all in order).
    /// The second builder is gone when this returns.
    static func build(_ topics: [Topic], analyzer: Analyzer) -> IndexBuilder {
        var builder = IndexBuilder(analyzer: analyzer)
        let half = topics.count >= topicsForTwoThreads ? topics.count / 2 : topics.count
        let secondHalf = Deferred(later: {
            var other = IndexBuilder(analyzer: analyzer)
            for topic in topics[half...] { other.add(topic) }
            return Handoff(builder: other)
        })
        if half < topics.count { secondHalf.start() }
        for topic in topics[..<half] { builder.add(topic) }
        if half < topics.count { builder.merge(secondHalf.value.take()) }
        return builder
    }

    /// The second builder of `build`, handed over so that the merge holds the only copy of its tables: they are
    /// renumbered in place, not copied, and let go of as they are merged.
    private final class Handoff: @unchecked Sendable {
        private var builder: IndexBuilder?

        init(builder: IndexBuilder) {
            self.builder = builder
        }

        /// The builder, once (read only by the thread that merges, after the builder's thread is done).
        func take() -> IndexBuilder {
            defer { builder = nil }
            return builder!
        }
    }

    /// How many of the best candidates are kept, in order: the five `why` shows.
    static let ranked = 5

    /// Whether a candidate comes before another: the higher score, then the id first in alphabetical order.
    static func precedes(_ a: Candidate, _ b: Candidate) -> Bool {
        a.score != b.score ? a.score > b.score : a.id < b.id
    }

    /// Whether topic number `document` uses `term`.
    private func uses(_ term: String, _ document: Int) -> Bool {
        guard let id = termTable.index(of: term) else { return false }
        return postings.contains(id, document)
    }

    /// Whether some topic uses `word` (its stem).
    func knows(_ word: String) -> Bool { termTable.index(of: Analyzer.stem(word)) != nil }

    /// The key of a title or example question in `examples`, made at the end of `key`: the numbers of its terms'
    /// stems (of `TermTable.stems`), sorted, each once, each a variable-length integer (seven bits a byte, low bits
    /// first). `stems` is sorted. Numbers, not the stems' strings: a fifth of the bytes, and no string is made for
    /// each example a big bundle's builder reads.
    static func exampleKey(_ stems: inout [Int32], into key: inout [UInt8]) {
        stems.sort()
        var previous: Int32 = -1
        for stem in stems where stem != previous {
            VarInt.append(UInt32(stem), to: &key)
            previous = stem
        }
    }

    /// Each stem number of an example key (`exampleKey(_:into:)`), in order.
    static func forEachStem(ofExampleKey key: UnsafeBufferPointer<UInt8>, _ body: (Int32) -> Void) {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        for byte in key {
            value |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 {
                body(Int32(bitPattern: value))
                (value, shift) = (0, 0)
            } else {
                shift += 7
            }
        }
    }

    /// The key in `examples` of a title or example question made of exactly these terms (stems, each a term of
    /// its own), if there is one.
    private func exampleKey(of terms: Set<String>) -> Int? {
        var stems: [Int32] = []
        for term in terms {
            guard let stem = termTable.stems.index(of: term) else { return nil }
            stems.append(Int32(stem))
        }
        var key: [UInt8] = []
        Matcher.exampleKey(&stems, into: &key)
        return key.withUnsafeBufferPointer { examples.index(ofUTF8: $0) }
    }

    /// The closest vocabulary word to an unknown word, if one is close enough: the smallest distance, then the
    /// most frequent term, then the first term in alphabetical order.
    func correction(for word: String) -> String? {
        guard word.count >= 4, word.unicodeScalars.allSatisfy({ $0.value < 128 }) else { return nil }
        let limit = word.count >= 7 ? 2 : 1
        let target = Array(word.utf8)
        var best: (index: Int, distance: Int)?
        for index in spellingIndex.candidates(for: target, within: limit) where abs(spellings.bytes(index).count - target.count) <= limit {
            let distance = Matcher.editDistance(target, spellings.bytes(index), limit: limit)
            guard distance <= limit else { continue }
            if let current = best {
                let (old, new) = (spellingFrequencies[current.index], spellingFrequencies[index])
                let better = distance < current.distance
                    || (distance == current.distance && (new > old || (new == old && index < current.index)))
                if !better { continue }
            }
            best = (index, distance)
        }
        return best.map { spellings[$0.index] }
    }

    /// Damerau–Levenshtein distance (adjacent swaps count as one), stopping early past `limit`.
    static func editDistance<Bytes: RandomAccessCollection<UInt8>>(_ a: [UInt8], _ b: Bytes, limit: Int) -> Int
    where Bytes.Index == Int {
        if a.elementsEqual(b) { return 0 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let width = b.count + 1
        // Three rows in one scratch buffer on the stack: this runs for many words of every line.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { buffer in
            var previous2 = buffer.baseAddress!
            var previous = previous2 + width
            var current = previous + width
            for j in 0..<width { previous[j] = j; previous2[j] = 0 }
            for i in 1...a.count {
                current[0] = i
                var rowMinimum = i
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        value = min(value, previous2[j - 2] + 1)
                    }
                    current[j] = value
                    rowMinimum = min(rowMinimum, value)
                }
                if rowMinimum > limit { return limit + 1 }
                (previous2, previous, current) = (previous, current, previous2)
            }
            return previous[b.count]
        }
    }
}

extension Matcher {
    /// `minimumBestCoverage` for a question whose only word of the subject is one broad lexicon word: "how do i
    /// taper my running before a marathon" and "how to stop snoring" fall back.
    static let minimumBestCoverageOneBroadWord = 0.25
}

extension String {
    func replacingDashes() -> String { String(map { $0 == "-" ? " " : $0 }) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
