import GuideContent

/// Finds the topic that answers a free-text question: a BM25F ranking over each topic's title, example
/// questions and text, with the lexicon's synonyms and tolerant spelling.
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
        /// The best topic holds only this share of the question's words.
        case littleMatched(Double)
        /// No word of the question is a word any topic uses.
        case nothingKnown
        /// The only known words are ones most topics use.
        case onlyCommonWords
    }

    /// The result of matching one question.
    public struct Result: Hashable, Sendable {
        public var decision: Decision
        public var explanation: Explanation
    }

    struct Field {
        var weight: Double
        var b: Double
    }

    struct Document {
        var id: String
        /// Term frequencies per field: title, asks, body.
        var frequencies: [[String: Int]]
        var lengths: [Int]
        /// Each example question and the title, as term sets, for whole-question matches.
        var questions: [Set<String>]
    }

    /// Title, example questions, answer text: a word of the text weighs less, since every answer speaks of the
    /// same medicine and the same withdrawal.
    static let fields = [Field(weight: 3.0, b: 0.5), Field(weight: 2.0, b: 0.75), Field(weight: 0.5, b: 0.75)]
    static let k1 = 1.2
    /// Answer only when the best score is this far ahead of the second.
    static let clarifyRatio = 0.95
    /// A follow-up ("does that get better?") keeps its own answer when the best topic leads by this much.
    static let confidentRatio = 1.5
    /// A follow-up of at most this many terms is always read with the last topic.
    static let shortFollowUp = 3
    /// Below this share of the question's weight found in the best topic, fall back; words no topic uses count
    /// in the question's weight.
    static let minimumCoverage = 0.5
    /// The same for a question that names the subject (a word of the lexicon: klonopin, taper, withdrawal...):
    /// its unknown words do not count, and less of it needs to be found.
    static let minimumCoverageInDomain = 0.2
    /// The weight of a word that half of the topics use: a word this common says nothing about which one fits.
    static let commonWordWeight = log1p(1.0)

    public let analyzer: Analyzer
    private var documents: [Document] = []
    private var averageLengths: [Double] = []
    private var inverseFrequency: [String: Double] = [:]
    /// Every term any topic uses, with how often, for spelling correction.
    private var vocabulary: [String: Int] = [:]
    /// The vocabulary as UTF-8, sorted by term, so corrections do not depend on a dictionary's order. Only the
    /// words of titles, example questions and the lexicon: a word people type is mended into a word people ask
    /// with, never into a rare word of an answer's text ("weather" is not read as "whether").
    private var spellings: [(term: String, utf8: [UInt8], frequency: Int)] = []
    /// The lexicon's words, as terms: a question with one of them is about the guide's subject.
    private var domain: Set<String> = []
    /// The weight of a word no topic uses: as rare as a word of one topic.
    private var unknownWeight = 0.0

    public init(topics: [Topic], lexicon: Lexicon) {
        analyzer = Analyzer(lexicon: lexicon)
        var totals = [0, 0, 0]
        var documentFrequency: [String: Int] = [:]
        var asked: [String: Int] = [:]
        domain = Set(lexicon.entries.flatMap { entry in analyzer.terms(entry.canonical) })
        for term in domain { asked[term, default: 0] += 1 }
        for topic in topics {
            let idText = topic.id.replacingDashes()
            // Titles and example questions also hold their word pairs, for phrase matches.
            let fieldTerms = [
                analyzer.terms(topic.title + " " + idText) + analyzer.pairs(topic.title),
                topic.asks.flatMap { analyzer.terms($0) + analyzer.pairs($0) },
                analyzer.terms(topic.body.plainText),
            ]
            var frequencies: [[String: Int]] = []
            for terms in fieldTerms {
                var counts: [String: Int] = [:]
                for term in terms { counts[term, default: 0] += 1 }
                frequencies.append(counts)
            }
            for (index, terms) in fieldTerms.enumerated() { totals[index] += terms.count }
            let seen = Set(fieldTerms.joined())
            for term in seen {
                documentFrequency[term, default: 0] += 1
            }
            for term in fieldTerms.joined() { vocabulary[term, default: 0] += 1 }
            for term in fieldTerms[0] + fieldTerms[1] where !term.contains(" ") { asked[term, default: 0] += 1 }
            let questions = ([topic.title] + topic.asks).map { Set(analyzer.terms($0)) }
            documents.append(Document(id: topic.id, frequencies: frequencies, lengths: fieldTerms.map(\.count),
                                      questions: questions))
        }
        spellings = asked.map { (term: $0.key, utf8: Array($0.key.utf8), frequency: vocabulary[$0.key] ?? $0.value) }
            .sorted { $0.term < $1.term }
        let count = Double(max(topics.count, 1))
        averageLengths = totals.map { Double(max($0, 1)) / count }
        for (term, frequency) in documentFrequency {
            let n = Double(frequency)
            inverseFrequency[term] = log1p((count - n + 0.5) / (n + 0.5))
        }
        unknownWeight = log1p((count - 1 + 0.5) / 1.5)
    }

    /// Ranks the topics for `question` and decides: answer, clarify or fallback. With `context` (the topic just
    /// shown), a question that points back at it ("how long does that last?", "what about at night?") is read
    /// with that topic's title added.
    public func match(_ question: String, context: Topic? = nil) -> Result {
        let plain = match(question, with: nil)
        // Only a question that points back ("that", "those", "what about") is read with the last topic: a short
        // one always ("how long does that last?"), a longer one only when it is unsure on its own.
        guard let context, analyzer.isFollowUp(TextNormalizer.words(question)) else { return plain }
        let short = plain.explanation.terms.count <= Matcher.shortFollowUp
        switch plain.explanation.reason {
        case .exampleQuestion: return plain
        case .ahead(let ratio) where ratio >= Matcher.confidentRatio && !short: return plain
        default: return match(question, with: context)
        }
    }

    /// `match` with the words of `context`'s title added, when given.
    private func match(_ question: String, with context: Topic?) -> Result {
        var synonyms: [Analyzer.Replacement] = []
        var corrections: [Analyzer.Replacement] = []
        let words = TextNormalizer.words(question).map { word -> String in
            guard vocabulary[Analyzer.stem(word)] == nil, !analyzer.isIgnored(word), !analyzer.isLexiconWord(word),
                let fixed = correction(for: word)
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
        let phraseTexts = analyzer.phrases(words: words).filter { inverseFrequency[$0.term] != nil }
        let pairs = phraseTexts.map(\.term)
        let known = Array(Set(terms.filter { inverseFrequency[$0] != nil } + pairs)).sorted()
        // Words no topic uses ("lasagna", "router") count against a match, unless the question names the subject.
        let unknown = Set(terms.filter { inverseFrequency[$0] == nil && $0.utf8.count > 2 })
        let inDomain = terms.contains { domain.contains($0) }
        var explanation = Explanation(terms: terms, matched: [], synonyms: synonyms, corrections: corrections, top: [],
                                      context: contextID)
        guard !known.isEmpty else { return Result(decision: .fallback, explanation: explanation) }

        let totalWeight = known.reduce(0) { $0 + inverseFrequency[$1]! }
        // How much of the question a topic covers is counted in single words: a pair ("what is") is no evidence
        // that a question belongs to the guide.
        let wordWeight = known.reduce(0) { $1.contains(" ") ? $0 : $0 + inverseFrequency[$1]! }
        let wordWeightWithUnknown = wordWeight + Double(unknown.count) * unknownWeight
        var ranked: [Candidate] = []
        var coverage: [String: Double] = [:]
        // Topics with an example question made of exactly the question's words: labelled data, trusted first.
        let questionTerms = Set(known.filter { !$0.contains(" ") })
        var exact: [String] = []
        for document in documents {
            var score = 0.0
            var found = 0.0
            for term in known {
                var weighted = 0.0
                for (index, field) in Matcher.fields.enumerated() {
                    guard let tf = document.frequencies[index][term] else { continue }
                    let norm = 1 - field.b + field.b * Double(document.lengths[index]) / averageLengths[index]
                    weighted += field.weight * Double(tf) / norm
                }
                guard weighted > 0 else { continue }
                let idf = inverseFrequency[term]!
                score += idf * weighted / (Matcher.k1 + weighted)
                if !term.contains(" ") { found += idf }
            }
            guard score > 0 else { continue }
            // Whole-question bonus: how much of the question one example question covers.
            var best = 0.0
            if document.questions.contains(questionTerms) { exact.append(document.id) }
            for question in document.questions {
                let shared = known.reduce(0.0) { question.contains($1) ? $0 + inverseFrequency[$1]! : $0 }
                let extra = question.subtracting(known).reduce(0.0) { $0 + (inverseFrequency[$1] ?? 0) }
                best = max(best, shared / (totalWeight + 0.5 * extra))
            }
            score += 2.0 * best * totalWeight / Double(known.count)
            ranked.append(Candidate(id: document.id, score: score))
            coverage[document.id] = wordWeight > 0 ? found / (inDomain ? wordWeight : wordWeightWithUnknown) : 0
        }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        explanation.top = Array(ranked.prefix(5))
        // A question whose only known words are ones most topics use ("not sure", "tell me more") is no question
        // the bundle answers, unless it names the subject.
        let onlyCommonWords = !inDomain
            && known.allSatisfy { $0.contains(" ") || inverseFrequency[$0]! < Matcher.commonWordWeight }
        let firstCoverage = ranked.first.flatMap { coverage[$0.id] } ?? 0
        guard let first = ranked.first, !onlyCommonWords,
              firstCoverage >= (inDomain ? Matcher.minimumCoverageInDomain : Matcher.minimumCoverage) else {
            explanation.reason = onlyCommonWords ? .onlyCommonWords : .littleMatched(firstCoverage)
            return Result(decision: .fallback, explanation: explanation)
        }
        func explain(_ id: String) {
            guard let index = documents.firstIndex(where: { $0.id == id }) else { return }
            let found = known.filter { term in documents[index].frequencies.contains { $0[term] != nil } }
            explanation.matched = found.filter { !$0.contains(" ") }
            explanation.phrases = phraseTexts.filter { found.contains($0.term) }.map(\.text)
        }
        if exact.count == 1, let id = exact.first {
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
        explanation.reason = .ahead(ranked.count > 1 ? first.score / ranked[1].score : .infinity)
        return Result(decision: .answer(first.id), explanation: explanation)
    }

    /// The closest vocabulary word to an unknown word, if one is close enough: the smallest distance, then the
    /// most frequent term, then the first term in alphabetical order.
    func correction(for word: String) -> String? {
        guard word.count >= 4, word.unicodeScalars.allSatisfy({ $0.value < 128 }) else { return nil }
        let limit = word.count >= 7 ? 2 : 1
        var best: (term: String, distance: Int, frequency: Int)?
        let target = Array(word.utf8)
        for spelling in spellings where abs(spelling.utf8.count - target.count) <= limit {
            let distance = Matcher.editDistance(target, spelling.utf8, limit: limit)
            guard distance <= limit else { continue }
            if let best, distance > best.distance || (distance == best.distance && spelling.frequency <= best.frequency) {
                // Not better; `spellings` is sorted, so on a full tie the earlier term stays.
                continue
            }
            best = (spelling.term, distance, spelling.frequency)
        }
        return best?.term
    }

    /// Damerau–Levenshtein distance (adjacent swaps count as one), stopping early past `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a == b { return 0 }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...max(b.count, 1) where !b.isEmpty {
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
        return a.isEmpty ? b.count : b.isEmpty ? a.count : previous[b.count]
    }
}

extension String {
    func replacingDashes() -> String { String(map { $0 == "-" ? " " : $0 }) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
