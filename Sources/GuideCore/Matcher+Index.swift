import GuideContent

extension Matcher {
    /// Builds the matcher's word model of each topic, numbering terms as they first appear, so that each
    /// occurrence costs one lookup: a word of an answer's text is looked up once as written (its stem, or that the
    /// lexicon ignores it), then found by its number.
    struct IndexBuilder {
        let analyzer: Analyzer
        /// Every term met so far, by number.
        var ids: [String: Int32] = [:]
        /// How often each term is used, in every field of every topic (for spelling: the most used word wins).
        var uses: [Int] = []
        /// How many topics use each term.
        var documentFrequency: [Int] = []
        /// Each term's topics and weighted counts, in topic order.
        var postings: [[Posting]] = []
        /// The words of titles and example questions (and the lexicon's), with how often they are asked with.
        var asked: [String: Int] = [:]
        /// The topics of each title and example question, by its set of terms (`Matcher.exampleKey`).
        var examples: [String: [Int]] = [:]
        /// Each word of an answer text met so far: its term number, `Self.ignored`, or `Self.startsVariant`.
        private var wordTerms: [String: Int32] = [:]
        /// Each word of a title or an example question as written (`TextNormalizer.words`), and those of the
        /// answer texts of builders merged into this one: with `wordTerms`' words, every word the topics use.
        private var written: Set<String> = []
        /// The weighted count of each term in the topic being added, in `weightUnit`s (zero for the others), and
        /// which are not zero.
        private var weights: [UInt32] = []
        private var touched: [Int32] = []

        static let ignored: Int32 = -1
        static let startsVariant: Int32 = -2

        init(analyzer: Analyzer) {
            self.analyzer = analyzer
        }

        /// The number of a term, new or not.
        mutating func id(_ term: String) -> Int32 {
            if let id = ids[term] { return id }
            let id = Int32(uses.count)
            ids[term] = id
            uses.append(0)
            documentFrequency.append(0)
            postings.append([])
            weights.append(0)
            return id
        }

        /// Adds what `other` built from later topics, as if this builder had read them after its own: their new
        /// terms are numbered after its terms, in the order `other` met them.
        mutating func merge(_ other: IndexBuilder) {
            var names = [String](repeating: "", count: other.uses.count)
            for (term, id) in other.ids { names[Int(id)] = term }
            for (otherID, term) in names.enumerated() {
                let id = Int(self.id(term))
                uses[id] += other.uses[otherID]
                documentFrequency[id] += other.documentFrequency[otherID]
                // A term new here takes the other's list as it is (shared, not copied).
                if postings[id].isEmpty { postings[id] = other.postings[otherID] } else { postings[id] += other.postings[otherID] }
            }
            for (term, count) in other.asked { asked[term, default: 0] += count }
            written.formUnion(other.written)
            written.formUnion(other.wordTerms.keys)
            for (key, documents) in other.examples { examples[key, default: []] += documents }
        }

        /// Adds a topic as document number `document` (topics are added in order); returns the size of its word
        /// model (the sum of its weighted counts).
        mutating func add(_ topic: Topic, as document: Int) -> Double {
            var total = 0.0
            // Titles and example questions also hold their word pairs, for phrase matches.
            let title = read(topic.title)
            addExample(title.terms, document)
            let titleWords = analyzer.terms(topic.title + " " + topic.id.replacingDashes())
            total += field(words: titleWords, pairs: title.pairs, field: 0)
            var askWords: [String] = []
            var askPairs: [String] = []
            for ask in topic.asks {
                let (terms, pairs) = read(ask)
                addExample(terms, document)
                askWords += terms
                askPairs += pairs
            }
            total += field(words: askWords, pairs: askPairs, field: 1)
            total += Matcher.weights[2] * Double(addText(topic.body.plainText))
            for id in touched {
                let id = Int(id)
                documentFrequency[id] += 1
                postings[id].append(Posting(documentNumber: Int32(document), units: weights[id]))
                weights[id] = 0
            }
            touched.removeAll(keepingCapacity: true)
            return total
        }

        /// Every word the topics read so far use, as written: of their titles, example questions and answer texts.
        var words: Set<String> { written.union(wordTerms.keys) }

        /// The terms (`Analyzer.terms`) and word pairs (`Analyzer.pairs`) of a title or an example question, read
        /// once.
        mutating func read(_ text: String) -> (terms: [String], pairs: [String]) {
            var replacements: [Analyzer.Replacement] = []
            let words = TextNormalizer.words(text)
            written.formUnion(words)
            let canonical = analyzer.canonicalWords(words, replacements: &replacements)
            let stems = canonical.map(Analyzer.stem)
            let terms = zip(canonical, stems).compactMap { analyzer.isIgnored($0) ? nil : $1 }
            let pairs = stems.count > 1 ? (1..<stems.count).map { stems[$0 - 1] + " " + stems[$0] } : []
            return (terms, pairs)
        }

        /// Notes that a title or example question with these terms belongs to `document`.
        private mutating func addExample(_ terms: [String], _ document: Int) {
            let key = Matcher.exampleKey(Set(terms))
            if examples[key]?.last != document { examples[key, default: []].append(document) }
        }

        /// Counts the terms of a title or the example questions; returns their weighted count.
        private mutating func field(words: [String], pairs: [String], field: Int) -> Double {
            let units = Matcher.weightUnits[field]
            for word in words {
                count(id(word), units)
                asked[word, default: 0] += 1
            }
            for pair in pairs { count(id(pair), units / 2) }
            return Matcher.weights[field] * (Double(words.count) + Matcher.pairWeight * Double(pairs.count))
        }

        /// Counts the terms of an answer text, as `Analyzer.terms` reads it; returns how many there are.
        private mutating func addText(_ text: String) -> Int {
            let weight = Matcher.weightUnits[2]
            let words = TextNormalizer.words(text)
            var terms = 0
            var index = 0
            while index < words.count {
                let word = words[index]
                let known: Int32
                if let cached = wordTerms[word] {
                    known = cached
                } else {
                    known = analyzer.startsVariant(word) ? Self.startsVariant
                        : analyzer.isIgnored(word) ? Self.ignored : id(Analyzer.stem(word))
                    wordTerms[word] = known
                }
                if known >= 0 {
                    count(known, weight)
                    terms += 1
                    index += 1
                    continue
                }
                if known == Self.ignored {
                    index += 1
                    continue
                }
                // A lexicon variant may start here ("cold turkey"): its canonical words count instead.
                let variant = analyzer.variant(in: words, at: index)
                for canonical in variant?.canonical ?? [word] where !analyzer.isIgnored(canonical) {
                    count(id(Analyzer.stem(canonical)), weight)
                    terms += 1
                }
                index += variant?.written.count ?? 1
            }
            return terms
        }

        private mutating func count(_ id: Int32, _ weight: UInt32) {
            let index = Int(id)
            if weights[index] == 0 { touched.append(id) }
            weights[index] += weight
            uses[index] += 1
        }
    }
}
