@testable import GuideContent
@testable import GuideCore
import Testing

/// The matcher's rules for messy questions (issue #4), each with the whole result expected.
@Suite("Matching rules for messy questions")
struct MatchingRuleTests {
    static let lexicon = Lexicon(
        entries: [
            Lexicon.Entry(canonical: "clonazepam", variants: ["klonopin", "kpin"]),
            Lexicon.Entry(canonical: "stop suddenly", variants: ["cold turkey"]),
            Lexicon.Entry(canonical: "low cost", variants: ["cheap", "sliding fee"]),
            Lexicon.Entry(canonical: "people", variants: ["ppl"]),
        ],
        ignored: ["the", "a", "i", "to", "my", "how", "do", "does", "it", "is", "me", "what", "can", "so", "why"],
        followUp: [],
        everyday: ["about", "care", "cheap", "cold", "cost", "every", "exactly", "fast", "feel", "half", "hands", "hard",
                   "heard", "into", "know", "little", "low", "make", "money", "much", "night", "normal", "once", "only",
                   "other", "paper", "people", "quit", "rate", "recipe", "talk", "what", "when", "with"])

    static func topic(_ id: String, _ title: String, asks: [String] = []) -> Topic {
        Topic(id: id, title: title, asks: asks, sources: [], reviewed: SimpleDate(year: 2026, month: 1, day: 1),
              see: [], resources: [], body: [], file: "topics/\(id).txt")
    }

    /// Expects a fallback by the coverage rules (`.littleMatched`) with a share below `limit`.
    static func expectLittleMatched(_ result: Matcher.Result, below limit: Double,
                                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        if case .littleMatched(let share) = result.explanation.reason {
            #expect(share < limit, sourceLocation: sourceLocation)
        } else {
            Issue.record("expected .littleMatched, got \(result.explanation.reason)", sourceLocation: sourceLocation)
        }
    }

    static let matcher = Matcher(
        topics: [
            topic("stopping-suddenly", "Stopping all at once", asks: ["can i quit klonopin cold turkey"]),
            topic("tapering", "What is a taper", asks: ["how do i taper off clonazepam", "how hard is a taper"]),
            topic("low-cost-care", "Care with no money", asks: ["what is a sliding fee"]),
            topic("side-effects", "Side effects", asks: ["is it normal to feel drowsy on clonazepam"]),
            topic("feelings", "Feeling off",
                  asks: ["why does it make me feel so off", "does it make me feel worse", "it make me feel bad"]),
        ],
        lexicon: lexicon)

    @Test("An everyday word no topic uses is kept as written, not mended into a guide word one letter away")
    func everydayWordsAreNotMended() {
        // "hard" and "taper" are one edit from "heard" and "paper"; both stay as typed, and count as unknown.
        let result = MatchingRuleTests.matcher.match("heard about paper")
        #expect(result.explanation.corrections == [])
        #expect(result.explanation.terms == ["heard", "about", "paper"])
        #expect(result.decision == .fallback)
        // A real slip is still mended.
        #expect(MatchingRuleTests.matcher.match("how do i tapper off clonazepam").explanation.corrections
                    == [Analyzer.Replacement(written: "tapper", canonical: "taper")])
        let analyzer = Analyzer(lexicon: MatchingRuleTests.lexicon)
        #expect(analyzer.isEverydayWord("hands") && analyzer.isEverydayWord("heard") && !analyzer.isEverydayWord("tapper"))
        #expect(analyzer.isEverydayWord("papers"), "a word whose stem is listed counts too")
    }

    @Test("A slip in a word of the lexicon's variants is mended into it, and the lexicon then reads it")
    func lexiconVariantsAreMended() {
        let analyzer = Analyzer(lexicon: MatchingRuleTests.lexicon)
        #expect(analyzer.variantCorrection(for: "turky").map { [$0.word, String($0.distance)] } == ["turkey", "1"])
        #expect(analyzer.variantCorrection(for: "kpn") == nil)  // under four letters
        let result = MatchingRuleTests.matcher.match("cold turky klonopin")
        #expect(result.explanation.corrections == [Analyzer.Replacement(written: "turky", canonical: "turkey")])
        #expect(result.explanation.terms == ["stop", "suddenly", "clonazepam"])
        #expect(result.decision == .answer("stopping-suddenly"))
    }

    @Test("A mend of two edits keeps the word's first letter; a mend of one may change it")
    func twoEditMendsKeepTheFirstLetter() {
        let matcher = MatchingRuleTests.matcher
        #expect(matcher.mended("clonazipan") == "clonazepam")  // two edits, the same first letter
        #expect(matcher.mended("blonazepan") == nil)  // two edits and a new first letter: a different word
        #expect(matcher.mended("klonopim") == "klonopin")  // one edit, of a lexicon variant
        #expect(matcher.mended("glonopim") == nil)
        #expect(matcher.match("blonazepan side effects").explanation.corrections == [])
        #expect(matcher.match("clonazipan side effects").explanation.corrections
                    == [Analyzer.Replacement(written: "clonazipan", canonical: "clonazepam")])
    }

    @Test("An example question is trusted only when the question has no word the guide does not know")
    func exampleQuestionNeedsEveryWordKnown() {
        let matcher = MatchingRuleTests.matcher
        // The known words of both are those of "can i quit klonopin cold turkey".
        #expect(matcher.match("quit klonopin cold turkey").explanation.reason == .exampleQuestion)
        let longer = matcher.match("quit klonopin cold turkey lasagna")
        #expect(longer.decision == .answer("stopping-suddenly"))
        #expect(longer.explanation.reason != .exampleQuestion)
    }

    @Test("An everyday word of the lexicon does not make a question one about the guide's subject")
    func everydayLexiconWordsDoNotNameTheSubject() {
        let matcher = MatchingRuleTests.matcher
        // "cheap" and "ppl" are read as "low cost" and "people", words of the lexicon, but everyday ones: the
        // unknown words still count, and too little of the question is known.
        let flights = matcher.match("cheap flights denver")
        #expect(flights.explanation.synonyms == [Analyzer.Replacement(written: "cheap", canonical: "low cost")])
        #expect(flights.decision == .fallback)
        #expect(flights.explanation.reason == .littleMatched(0.5))
        let people = matcher.match("ppl lasagna recipe")
        #expect(people.explanation.terms == ["people", "lasagna", "recipe"])
        #expect(people.decision == .fallback)
    }

    @Test("A name of the medicine that is an everyday word, or a mended misspelling, does not name the subject outright")
    func weakNamesOfTheSubject() {
        let lexicon = Lexicon(entries: [Lexicon.Entry(canonical: "clonazepam", variants: ["klonopin", "pins", "klonie"]),
                                        Lexicon.Entry(canonical: "antidepressant", variants: ["lexapro"]),
                                        Lexicon.Entry(canonical: "sleep", variants: ["sleeping"])],
                              ignored: ["how", "do", "i", "a", "in", "my", "to", "of", "for", "and"], everyday: ["pins", "antidepressant"])
        let matcher = Matcher(
            topics: [
                MatchingRuleTests.topic("sleep", "Sleep while coming off clonazepam", asks: ["cant sleep off clonazepam"]),
                MatchingRuleTests.topic("timeline", "How long clonazepam withdrawal lasts"),
                MatchingRuleTests.topic("side-effects", "Side effects of clonazepam"),
                MatchingRuleTests.topic("misuse", "Misusing clonazepam"),
                MatchingRuleTests.topic("older-adults", "Clonazepam for older adults"),
            ],
            lexicon: lexicon)
        // Every topic uses "clonazepam" (five of them: a word that common names the subject outright).
        // Written as a name of the medicine, it names the subject: unknown words do not count.
        #expect(matcher.match("klonopin for a bowling alley").decision != .fallback)
        // Read from "pins", an everyday word, the unknown words count: not a question about clonazepam.
        let bowling = matcher.match("pins for a bowling alley")
        #expect(bowling.decision == .fallback)
        MatchingRuleTests.expectLittleMatched(bowling, below: Matcher.minimumCoverageInDomain)
        #expect(bowling.explanation.synonyms == [Analyzer.Replacement(written: "pins", canonical: "clonazepam")])
        // Mended into a name of it ("klondike" is two slips from "klonie"), the same.
        let klondike = matcher.match("klondike for a bowling alley")
        #expect(klondike.explanation.corrections == [Analyzer.Replacement(written: "klondike", canonical: "klonie")])
        #expect(klondike.decision == .fallback)
        // A broad word of the subject only mended into ("slipping" is two slips from "sleeping") does not make the
        // question one about the subject either: its unknown words count in full.
        let car = matcher.match("my car transmission is slipping")
        #expect(car.explanation.corrections == [Analyzer.Replacement(written: "slipping", canonical: "sleeping")])
        #expect(car.decision == .fallback)
        // With a word the topics hold, "pins" is enough.
        #expect(matcher.match("pins withdrawal how long").decision == .answer("timeline"))
        // A question that names another medicine and not the subject falls back, and says which word did it.
        let lexapro = matcher.match("how do i sleep off lexapro")
        #expect(lexapro.decision == .fallback)
        #expect(lexapro.explanation.reason == .namesOther("lexapro"))
        // "pins" does not name the subject outright either: the other medicine wins.
        #expect(matcher.match("sleep off lexapro and pins").explanation.reason == .namesOther("lexapro"))
        #expect(matcher.match("sleep off lexapro and klonopin").decision == .answer("sleep"))
    }

    @Test("Coming off a substance the guide does not cover, its word next to a word of coming off, falls back")
    func withdrawalFromOtherSubstances() {
        let lexicon = Lexicon(entries: [Lexicon.Entry(canonical: "clonazepam", variants: ["klonopin"]),
                                        Lexicon.Entry(canonical: "alcohol", variants: ["drink", "vodka"]),
                                        Lexicon.Entry(canonical: "opioid", variants: ["oxycodone"]),
                                        Lexicon.Entry(canonical: "taper", variants: ["taper off", "tapering off"])],
                              ignored: ["how", "long", "does", "can", "i", "during", "after", "my", "the", "from"],
                              notCovered: ["alcohol", "opioid", "lyrica"], comingOff: ["withdrawal", "taper", "detox"],
                              comingOffLinks: ["from", "off"])
        let analyzer = Analyzer(lexicon: lexicon)
        func read(_ text: String) -> String? { analyzer.substanceNotCovered(TextNormalizer.words(text)) }
        #expect(["how long does alcohol withdrawal last", "vodka detox", "withdrawal from alcohol",
                 "tapering off oxycodone after surgery", "lyrica withdrawal symptoms", "can i drink during withdrawal",
                 "alcohol and my taper", "klonopin withdrawal", "is alcohol withdrawal making my taper worse",
                 "tapering off oxycodone during withdrawal"].map(read)
                == ["alcohol", "alcohol", "alcohol", "opioid", "lyrica", nil, nil, nil, nil, nil])
        let matcher = Matcher(
            topics: [
                MatchingRuleTests.topic("timeline", "How long clonazepam withdrawal lasts"),
                MatchingRuleTests.topic("mixing", "Alcohol and clonazepam", asks: ["can i drink during withdrawal"]),
                MatchingRuleTests.topic("tapering", "What a clonazepam taper is"),
                MatchingRuleTests.topic("side-effects", "Side effects of clonazepam"),
                MatchingRuleTests.topic("older-adults", "Clonazepam for older adults"),
            ],
            lexicon: lexicon)
        let alcohol = matcher.match("how long does alcohol withdrawal last")
        #expect(alcohol.decision == .fallback)
        #expect(alcohol.explanation.reason == .namesOther("alcohol"))
        #expect(matcher.match("can i drink during withdrawal").decision == .answer("mixing"))
        // Named with clonazepam, it is the guide's question.
        #expect(matcher.match("alcohol withdrawal and klonopin").decision != .fallback)
    }

    @Test("A question that names the subject only with a broad word still counts its unknown words")
    func broadSubjectWordsCountUnknownWords() {
        let lexicon = Lexicon(entries: [Lexicon.Entry(canonical: "taper", variants: ["wean"])], ignored: ["how", "do", "i"],
                              everyday: ["exactly"])
        // Every topic uses "clonazepam": it names the subject outright. "taper" is a broad word of the lexicon.
        let matcher = Matcher(
            topics: [
                MatchingRuleTests.topic("tapering", "What is a taper", asks: ["how do i taper clonazepam"]),
                MatchingRuleTests.topic("taper-rate", "How fast to taper clonazepam"),
                MatchingRuleTests.topic("taper-symptoms", "Symptoms in a clonazepam taper"),
                MatchingRuleTests.topic("talk", "Talking about a taper with your clonazepam prescriber"),
                MatchingRuleTests.topic("side-effects", "Side effects of clonazepam"),
                MatchingRuleTests.topic("stopping", "Stopping clonazepam at once"),
            ],
            lexicon: lexicon)
        // "prednisone" outweighs "taper": not a question about clonazepam.
        let other = matcher.match("how do i taper prednisone")
        #expect(other.decision == .fallback)
        MatchingRuleTests.expectLittleMatched(other, below: Matcher.minimumCoverageInDomain)
        // An everyday unknown word counts half: "exactly" does not outweigh "taper".
        #expect(matcher.match("how do i taper exactly").decision == .answer("tapering"))
        // With "clonazepam" the unknown word does not count at all.
        #expect(matcher.match("how do i taper clonazepam prednisone").decision == .answer("tapering"))
    }

    @Test("A question whose only word of the subject is one broad word falls back when the best topic holds little of it, unknown words or not")
    func oneBroadWordMustBeHeldByTheBestTopic() {
        let lexicon = Lexicon(entries: [Lexicon.Entry(canonical: "stop", variants: ["quit"])], ignored: ["how", "to", "i"])
        // "stop" is a broad word of the lexicon that most topics use; "snoring" is only in one answer's text.
        let matcher = Matcher(
            topics: [
                MatchingRuleTests.topic("stopping", "Why not stop all at once", asks: ["can i stop at once"]),
                MatchingRuleTests.topic("tapering", "How to stop slowly", asks: ["stop bit by bit"]),
                MatchingRuleTests.topic("seizures", "Seizures when you stop"),
                Topic(id: "sleep", title: "Sleeping badly", asks: ["cannot sleep"], sources: [],
                      reviewed: SimpleDate(year: 2026, month: 1, day: 1), see: [], resources: [],
                      body: [.paragraph("Loud snoring, breathing pauses or gasping in sleep need a doctor.")],
                      file: "topics/sleep.txt"),
            ],
            lexicon: lexicon)
        // Every word is known, but the best topic holds only "stop", a word most topics use.
        let snoring = matcher.match("how to stop snoring")
        #expect(snoring.explanation.terms == ["stop", "snor"])  // stemmed
        #expect(snoring.decision == .fallback)
        MatchingRuleTests.expectLittleMatched(snoring, below: Matcher.minimumBestCoverageOneBroadWord)
        // A question the best topic holds is answered.
        #expect(matcher.match("how to stop slowly").decision == .answer("tapering"))
    }

    @Test("A word pair counts half as much as a word in the question, as in the topics")
    func pairsCountHalf() {
        let matcher = Matcher(
            topics: [
                MatchingRuleTests.topic("tapering", "What is a taper", asks: ["how do i taper off clonazepam"]),
                MatchingRuleTests.topic("side-effects", "Drowsy on clonazepam", asks: ["drowsy all day"]),
                MatchingRuleTests.topic("feelings", "Feeling off",
                      asks: ["does it make me cry", "sad and low every night", "angry for no reason"]),
            ],
            lexicon: MatchingRuleTests.lexicon)
        // The pairs "doe it", "it make", "make me" all belong to `feelings`, and so does "make"; "drowsy" to
        // `side-effects`. Counted as whole words, the three pairs would put `feelings` first.
        let result = matcher.match("does it make me drowsy")
        #expect(result.decision == .answer("side-effects"))
        #expect(result.explanation.top.map(\.id) == ["side-effects", "feelings"])
    }

    @Test("A question with no word of the subject falls back when the best topic holds little of it")
    func bestTopicMustHoldTheQuestion() {
        let lexicon = Lexicon(entries: [Lexicon.Entry(canonical: "clonazepam", variants: ["klonopin"])],
                              ignored: ["how", "to", "can", "i", "at"])
        // Each of "learn", "spanish", "fast" and "home" is a word of one topic only.
        let matcher = Matcher(
            topics: [
                MatchingRuleTests.topic("taper-rate", "How fast to taper clonazepam", asks: ["how fast can i go"]),
                MatchingRuleTests.topic("help-finding", "Help for clonazepam", asks: ["a helpline in spanish"]),
                MatchingRuleTests.topic("what-is", "What clonazepam is", asks: ["learn about clonazepam"]),
                MatchingRuleTests.topic("tapering", "Tapering clonazepam", asks: ["taper clonazepam at home"]),
            ],
            lexicon: lexicon)
        // Every word is known, so the coverage rule lets it through; the best topic holds a quarter of it.
        let scattered = matcher.match("how to learn spanish fast at home")
        #expect(scattered.decision == .fallback)
        #expect(scattered.explanation.terms == ["learn", "spanish", "fast", "home"])
        if case .littleMatched(let share) = scattered.explanation.reason {
            #expect(abs(share - 0.25) < 1e-9)
        } else {
            Issue.record("expected .littleMatched, got \(scattered.explanation.reason)")
        }
        // Half of it in one topic is enough.
        let half = matcher.match("how fast can i go spanish")
        #expect(half.decision == .answer("taper-rate"))
        #expect(half.explanation.reason == .ahead(half.explanation.top[0].score / half.explanation.top[1].score))
        // A word of the subject ("klonopin") turns the rule off.
        #expect(matcher.match("how to learn spanish fast at home klonopin").decision != .fallback)
        // An example question is answered as before.
        #expect(matcher.match("how fast can i go").explanation.reason == .exampleQuestion)
    }

    @Test("A rare word of the question counts more than words most topics use")
    func rareWordsCountMore() {
        let lexicon = Lexicon(entries: [Lexicon.Entry(canonical: "clonazepam", variants: ["klonopin"])],
                              ignored: ["i", "can", "and", "for", "you", "the", "after", "before"])
        // "stop" is a word of five topics of six, and `stopping` uses it most; "epilepsy" is a word of one.
        let matcher = Matcher(
            topics: [
                MatchingRuleTests.topic("stopping", "Stopping clonazepam", asks: ["can i stop"]),
                MatchingRuleTests.topic("seizures", "Seizures", asks: ["klonopin for epilepsy"]),
                MatchingRuleTests.topic("timeline", "When withdrawal starts after you stop"),
                MatchingRuleTests.topic("sleep", "Sleep after you stop"),
                MatchingRuleTests.topic("tapering", "Tapering before you stop"),
                MatchingRuleTests.topic("side-effects", "Side effects", asks: ["stop the side effects"]),
            ],
            lexicon: lexicon)
        // Counted alike, "stop" would put `stopping` first; weighed by rarity, "epilepsy" decides.
        let result = matcher.match("epilepsy and stopping")
        #expect(result.explanation.terms == ["epilepsy", "stop"])
        #expect(result.decision == .answer("seizures"))
        #expect(result.explanation.top.map(\.id) == ["seizures", "stopping", "sleep", "tapering", "timeline"])
        // Without the rare word the common word decides.
        #expect(matcher.match("can i stop klonopin").decision == .answer("stopping"))
    }

    @Test("A question with exactly an example question's words is answered even when they are common words")
    func exampleOfCommonWords() {
        // "help" and "need" are in every topic: alone they are common words, but one topic asks exactly this.
        let matcher = Matcher(
            topics: [
                MatchingRuleTests.topic("help-finding", "Where to find help", asks: ["i need help"]),
                MatchingRuleTests.topic("tapering", "Help with a taper if you need one"),
                MatchingRuleTests.topic("sleep", "Help for sleep when you need it"),
            ],
            lexicon: MatchingRuleTests.lexicon)
        let exact = matcher.match("I need help!")
        #expect(exact.decision == .answer("help-finding"))
        #expect(exact.explanation.reason == .exampleQuestion)
        #expect(matcher.match("need some help").explanation.reason == .onlyCommonWords)
        #expect(matcher.match("i need help lasagna").decision == .fallback, "an unknown word: not the example")
    }

    @Test("Many topics are indexed on two threads: exactly what one builder reading them in order makes")
    func indexOnTwoThreads() {
        let words = ["sleep", "taper", "night", "dose", "anxiety", "seizure", "family", "cost", "cold", "turkey"]
        let topics = (0..<(Matcher.topicsForTwoThreads + 7)).map { index in
            Topic(id: "topic-\(index)", title: "\(words[index % 10]) and \(words[(index * 3) % 10]) \(index)",
                  asks: ["how about \(words[(index + 1) % 10])", "kpin \(words[(index * 7) % 10]) cold turkey"],
                  sources: [], reviewed: SimpleDate(year: 2026, month: 1, day: 1), see: [], resources: [],
                  body: [.paragraph("Text about \(words[index % 10]) number \(index % 13).")], file: "topics/\(index).txt")
        }
        let analyzer = Analyzer(lexicon: MatchingRuleTests.lexicon)
        let twoThreads = Matcher.build(topics, analyzer: analyzer)
        var single = Matcher.IndexBuilder(analyzer: analyzer)
        for topic in topics { single.add(topic) }
        #expect(twoThreads.totals == single.totals)
        #expect(twoThreads.documentIDs == single.documentIDs)
        #expect(twoThreads.termList.strings == single.termList.strings)
        #expect(twoThreads.stems.list.strings == single.stems.list.strings)
        #expect(twoThreads.uses == single.uses)
        #expect(twoThreads.countLists == single.countLists)
        #expect(twoThreads.topicCount == topics.count && single.topicCount == topics.count)
        #expect(twoThreads.asked == single.asked)
        #expect(twoThreads.exampleKeys == single.exampleKeys)
        #expect(twoThreads.writtenWords.set == single.writtenWords.set)
        #expect(twoThreads.writtenWords.lists.count == 2, "the second builder's words that the first has not")
        #expect(twoThreads.writtenWords.lists.map(\.count).reduce(0, +) == single.writtenWords.set.count,
                "no word in two lists")
    }

    @Test("Terms keyed by stem numbers make the term table of their strings: each term once, in the order first used")
    func termTableFromStemNumbers() {
        let words = ["sleep", "taper", "night", "dose", "anxiety", "seizure", "family", "cost", "cold", "turkey"]
        let topics = (0..<(Matcher.topicsForTwoThreads + 7)).map { index in
            Topic(id: "topic-\(index)", title: "How about \(words[index % 10]) and \(words[(index * 3) % 10]) \(index % 5)",
                  asks: ["how about \(words[(index + 1) % 10]) tapering", "kpin \(words[(index * 7) % 10]) cold turkey"],
                  sources: [], reviewed: SimpleDate(year: 2026, month: 1, day: 1), see: [], resources: [],
                  body: [.paragraph("Text about \(words[index % 10]) going cold turkey \(index % 13).")],
                  file: "topics/\(index).txt")
        }
        let analyzer = Analyzer(lexicon: MatchingRuleTests.lexicon)
        // The terms as the analyzer reads them as strings, in the order a builder counts them.
        var expected: [String] = []
        var seen: Set<String> = []
        for topic in topics {
            var terms = analyzer.terms(topic.title + " " + topic.id.replacingDashes())
            terms += analyzer.pairs(words: TextNormalizer.words(topic.title))
            terms += topic.asks.flatMap { analyzer.terms($0) }
            terms += topic.asks.flatMap { analyzer.pairs(words: TextNormalizer.words($0)) }
            if case .paragraph(let text) = topic.body[0] { terms += analyzer.terms(text) }
            for term in terms where seen.insert(term).inserted { expected.append(term) }
        }
        #expect(expected.contains("how about") && expected.contains("cold turkey") == false)
        let twoThreads = Matcher.build(topics, analyzer: analyzer)
        #expect(twoThreads.termList.strings == expected)
        var single = Matcher.IndexBuilder(analyzer: analyzer)
        for topic in topics { single.add(topic) }
        #expect(single.termList.strings == expected)
        // The term table finds each term by its string, under its new number (stems first, then pairs by their
        // stems), each number once; a string that is no term finds nothing.
        let (table, renumbered) = single.terms.table(stems: single.stems.list)
        #expect(table.count == expected.count)
        #expect(expected.indices.map { table.index(of: expected[$0]) } == renumbered.map { Int($0) })
        #expect(Set(renumbered).count == expected.count && renumbered.allSatisfy { $0 >= 0 && Int($0) < expected.count })
        let singles = expected.filter { !$0.contains(" ") }.count
        #expect(expected.indices.allSatisfy { (Int(renumbered[$0]) < singles) == !expected[$0].contains(" ") })
        for missing in ["", " ", "how", "about how", "how  about", "how about ", "cold turkey", "sleep taper night",
                        "zzz", "sleep zzz"] where !expected.contains(missing) {
            #expect(table.index(of: missing) == nil, "\(missing)")
        }
        // Read back from an image: the same numbers.
        var writer = ImageWriter(version: 1, key: 1)
        table.write(to: &writer)
        let bytes = writer.bytes
        let owner = bytes.withUnsafeBytes { ImageBytes(copying: $0) }
        var reader = ImageReader(owner, version: 1, key: 1)!
        let read = TermTable(reader: &reader)!
        #expect(reader.isAtEnd)
        #expect(expected.map { read.index(of: $0) } == expected.map { table.index(of: $0) })
    }
}
