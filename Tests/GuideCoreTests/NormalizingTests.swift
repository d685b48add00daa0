@testable import GuideContent
@testable import GuideCore
import Testing

/// Each rule of reading a question, with the whole result expected.
@Suite("Normalizing, words and spelling")
struct NormalizingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var rule: String
        var input: String
        var expected: [String]
        var testDescription: String { rule }
    }

    static let wordCases: [Case] = [
        Case(rule: "case", input: "KLONOPIN Withdrawal", expected: ["klonopin", "withdrawal"]),
        Case(rule: "punctuation", input: "taper?! (slowly)... ok,", expected: ["taper", "slowly", "ok"]),
        Case(rule: "accents folded", input: "café naïve Señora", expected: ["cafe", "naive", "senora"]),
        Case(rule: "contractions", input: "I can't, don't, won't; it's", expected: ["i", "cant", "dont", "wont", "its"]),
        Case(rule: "curly apostrophes", input: "can\u{2019}t sleep", expected: ["cant", "sleep"]),
        Case(rule: "numbers with a unit", input: "0.5mg or .25 mg", expected: ["0.5mg", "or", "0.25", "mg"]),
        Case(rule: "a decimal point only inside a number", input: "end. 2.5 and 1.", expected: ["end", "2.5", "and", "1"]),
        Case(rule: "hyphens split words", input: "k-pin cold-turkey", expected: ["k", "pin", "cold", "turkey"]),
        Case(rule: "a letter typed 3+ times counts twice", input: "soooo tiiired SLEEEEP", expected: ["soo", "tiired", "sleep"]),
        Case(rule: "double letters stay", input: "sleep needed", expected: ["sleep", "needed"]),
        Case(rule: "emoji and symbols are spaces", input: "help😢me #benzo", expected: ["help", "me", "benzo"]),
    ]

    @Test("Text is read as lower-case words", arguments: wordCases)
    func words(_ example: Case) {
        #expect(TextNormalizer.words(example.input) == example.expected)
    }

    @Test("The stemmer takes common endings off")
    func stems() {
        let words = ["tapering", "tapered", "tapers", "taper", "symptoms", "seizures", "worries", "is", "pass"]
        #expect(words.map(Analyzer.stem) == ["taper", "taper", "taper", "taper", "symptom", "seizure", "worry", "is", "pass"])
    }

    static let lexicon = Lexicon(
        entries: [
            Lexicon.Entry(canonical: "clonazepam", variants: ["klonopin", "k pin", "kpin", "benzo"]),
            Lexicon.Entry(canonical: "taper", variants: ["wean off", "cut down", "come off"]),
            Lexicon.Entry(canonical: "stop suddenly", variants: ["cold turkey"]),
        ],
        ignored: ["the", "a", "i", "to", "my", "how", "do", "what", "is", "are", "about", "that", "of", "at"],
        followUp: ["that"], followUpOpeners: ["what about"])

    @Test("Synonyms and phrases are read as the lexicon's word, little words are dropped, and each is noted")
    func synonyms() {
        let analyzer = Analyzer(lexicon: NormalizingTests.lexicon)
        var replacements: [Analyzer.Replacement] = []
        let terms = analyzer.terms(words: TextNormalizer.words("How do I wean off my K-pin cold turkey"),
                                   replacements: &replacements)
        #expect(terms == ["taper", "clonazepam", "stop", "suddenly"])  // "how", "do", "i", "my" are skipped
        #expect(replacements == [
            Analyzer.Replacement(written: "wean off", canonical: "taper"),
            Analyzer.Replacement(written: "k pin", canonical: "clonazepam"),
            Analyzer.Replacement(written: "cold turkey", canonical: "stop suddenly"),
        ])
        #expect(analyzer.pairs("how long does it last") == ["how long", "long doe", "doe it", "it last"])
        #expect(analyzer.isFollowUp(TextNormalizer.words("and what about at night")))
        #expect(!analyzer.isFollowUp(TextNormalizer.words("what is klonopin")))
    }

    static func topic(_ id: String, _ title: String, asks: [String] = []) -> Topic {
        Topic(id: id, title: title, asks: asks, sources: [], reviewed: SimpleDate(year: 2026, month: 1, day: 1),
              see: [], resources: [], body: [], file: "topics/\(id).txt")
    }

    static let matcher = Matcher(
        topics: [
            topic("symptoms", "Withdrawal symptoms", asks: ["what are the symptoms of withdrawal"]),
            topic("what-is-klonopin", "What is clonazepam", asks: ["what is klonopin"]),
            topic("sleep", "Sleeping badly", asks: ["insomnia at night"]),
        ],
        lexicon: lexicon)

    @Test("Spelling: one edit for short words, two for long ones, swaps count as one, short words never")
    func spelling() {
        let matcher = NormalizingTests.matcher
        #expect(matcher.correction(for: "symptons") == "symptom")  // dropped and changed letters: 2 edits, 8 letters
        #expect(matcher.correction(for: "withdrawl") == "withdrawal")  // a dropped letter
        #expect(matcher.correction(for: "wihtdrawal") == "withdrawal")  // a swap is one edit
        #expect(matcher.correction(for: "insomnnia") == "insomnia")  // a doubled letter
        #expect(matcher.correction(for: "slep") == "sleep")  // 4 letters, one edit
        #expect(matcher.correction(for: "nigt") == "night")  // a dropped letter
        #expect(matcher.correction(for: "niht") == "night")
        #expect(matcher.correction(for: "insomina") == "insomnia")  // a swap
        #expect(matcher.correction(for: "nsomnia") == "insomnia")  // a dropped first letter
        #expect(matcher.correction(for: "wymptom") == "symptom")  // a wrong first letter
        #expect(matcher.correction(for: "iinsomnia") == "insomnia")  // an extra first letter
        #expect(matcher.correction(for: "wat") == nil)  // under 4 letters: never mended
        #expect(matcher.correction(for: "lasagna") == nil)  // nothing close
    }

    @Test("An English word is mended only into a word of the same stem; a misspelling as before")
    func englishWordsKeepTheirMeaning() {
        var matcher = Matcher(
            topics: [
                NormalizingTests.topic("family", "Helping a brother or mother", asks: ["how do i manage"]),
                NormalizingTests.topic("sleep", "Sleeping badly", asks: ["insomnia at night"]),
            ],
            lexicon: NormalizingTests.lexicon)
        let questions = ["my browser is slow at night", "managing insomnia", "my bruther at night"]
        func corrections() -> [[String]] {
            questions.map { matcher.match($0).explanation.corrections.map { "\($0.written) → \($0.canonical)" } }
        }
        // Without a word list, any close word is mended.
        #expect(corrections() == [["browser → brother"], ["managing → manage"], ["bruther → brother"]])
        matcher.englishWords = WordList(sorted: ["browser", "managing", "night", "slow"])
        #expect(corrections() == [[], ["managing → manage"], ["bruther → brother"]])
        #expect([("managing", "manage"), ("roughly", "rough"), ("jitters", "jittery"), ("scheduling", "schedule"),
                 ("browser", "brother"), ("mode", "more"), ("hers", "here"), ("reset", "rest"), ("related", "relaxer"),
                 ("bloom", "blood"), ("stare", "start"), ("swear", "sweat"), ("brothel", "brother")]
            .map { Matcher.sameStem($0.0, $0.1) }
            == [true, true, true, true, false, false, false, false, false, false, false, false, false])
        // The shipped bundle's list is read and used: "browser" is not a misspelling of "brother".
        let shipped = TestGuide.shipped
        #expect(shipped.matcher.englishWords.count > 60_000 && shipped.matcher.englishWords.contains("browser"))
        #expect(shipped.reply(to: "my browser keeps crashing").explanation?.corrections == [])
    }

    @Test("The word list finds exactly its words, by binary search over its bytes")
    func wordListLookup() {
        let words = ["able", "abler", "bark", "barked", "zebra"]
        let list = WordList(sorted: words)
        #expect(list.count == 5)
        #expect(words.allSatisfy(list.contains))
        #expect(["", "abl", "ablest", "aardvark", "bar", "barke", "barkeds", "zebras", "zzz", "a"].filter(list.contains) == [])
        #expect(!WordList.empty.contains("able") && !WordList(sorted: ["only"]).contains("onl"))
        #expect(WordList(sorted: ["only"]).contains("only"))
    }

    @Test("The explanation names each kind of decision")
    func reasons() {
        let matcher = NormalizingTests.matcher
        #expect(matcher.match("what is klonopin").explanation.reason == .exampleQuestion)
        #expect(matcher.match("lasagna recipe").explanation.reason == .nothingKnown)
        let answered = matcher.match("withdrawl symptons insomnia")
        #expect(answered.decision == .answer("symptoms"))
        #expect(answered.explanation.corrections == [
            Analyzer.Replacement(written: "withdrawl", canonical: "withdrawal"),
            Analyzer.Replacement(written: "symptons", canonical: "symptom"),
        ])
        if case .ahead(let ratio) = answered.explanation.reason { #expect(ratio > 1) } else {
            Issue.record("expected .ahead, got \(answered.explanation.reason)")
        }
        #expect(matcher.match("insomnia lasagna recipe pizza").explanation.reason == .littleMatched(1.0 / 4.0))
    }

    @Test("A follow-up is read with the topic just shown, and says so")
    func followUp() {
        let matcher = NormalizingTests.matcher
        let sleep = NormalizingTests.topic("sleep", "Sleeping badly", asks: ["insomnia at night"])
        #expect(matcher.match("what about that").decision == .fallback)
        let result = matcher.match("what about that", context: sleep)
        #expect(result.decision == .answer("sleep"))
        #expect(result.explanation.context == "sleep")
        // A question that does not point back keeps its own answer.
        #expect(matcher.match("what is klonopin", context: sleep).explanation.context == nil)
    }

    @Test("A follow-up that would land on the topic just shown, while the question alone answers another, gets that one")
    func followUpAboutSomethingNew() {
        let matcher = NormalizingTests.matcher
        let symptoms = NormalizingTests.topic("symptoms", "Withdrawal symptoms", asks: ["what are the symptoms of withdrawal"])
        // "what about at night?" after the symptoms: the night is sleep's, not the symptoms again.
        #expect(matcher.match("what about at night").decision == .answer("sleep"))
        let night = matcher.match("what about at night", context: symptoms)
        #expect(night.decision == .answer("sleep") && night.explanation.context == nil)
        // With nothing of its own, a follow-up stays with the topic just shown.
        #expect(matcher.match("what about that", context: symptoms).decision == .answer("symptoms"))
        // The shipped guide at the prompt: a new side gets its topic; one that points back stays when the topic
        // speaks of what it asks (protracted withdrawal says how long it lasts).
        let conversation = Conversation(guide: TestGuide.shipped)
        let lastTopics = [["is it safe to stop cold turkey", "what about seizures?"],
                          ["what does withdrawal feel like", "what about at night?"],
                          ["why do i still have symptoms months after stopping", "how long does that last?"],
                          ["can withdrawal cause seizures", "is it dangerous?"]]
            .map { conversation.run(lines: $0).0.lastTopic }
        #expect(lastTopics == ["seizures", "sleep", "protracted-withdrawal", "seizures"])
    }

    @Test("An age written as one, from the lexicon's age-from up, is read as older adult; a dose or a younger age is not")
    func agesAsOlderAdult() {
        let analyzer = TestGuide.shipped.matcher.analyzer
        func read(_ line: String) -> [String] {
            var replacements: [Analyzer.Replacement] = []
            return analyzer.canonicalWords(TextNormalizer.words(line), replacements: &replacements)
        }
        #expect(read("shes 74") == ["shes", "older", "adult"])
        #expect(read("pt is 77") == ["pt", "is", "older", "adult"])
        #expect(read("my pulse is 110") == ["my", "pulse", "is", "110"])
        #expect(read("my oxygen is 88 should i worry") == ["my", "oxygen", "is", "88", "should", "i", "worry"])
        #expect(read("i am 90 lb") == ["i", "am", "90", "lb"])
        #expect(read("82F on it") == ["older", "adult", "on", "it"])
        #expect(read("im 83 years old") == ["im", "older", "adult", "years", "old"])
        // A cue is needed; a unit after the number makes it a dose; an age under age-from is only a number.
        #expect(read("took 80 yesterday") == ["took", "80", "yesterday"])
        #expect(read("im 75 mg now") == ["im", "75", "mg", "now"])
        #expect(read("she is 40") == ["she", "is", "40"])
        #expect(TestGuide.shipped.answer("he is 80, is that a problem on klonopin").id == "older-adults")
    }

    @Test("A follow-up that points back to a topic that never speaks of it, while the question alone answers another, asks which is meant; one naming a subject of its own gets it")
    func followUpOrOwnTopic() throws {
        let guide = TestGuide.shipped
        // "how long does that last?" alone is the timeline's; the sleep and anxiety topics never say how long.
        #expect(guide.answer("how long does that last?").id == "timeline")
        for context in ["sleep", "anxiety-coping"] {
            let reply = guide.answer("how long does that last?", context: context)
            #expect(reply.kind == .clarify && reply.candidates == ["timeline", context])
            #expect(reply.explanation?.reason == .followUpOrOwn && reply.explanation?.context == context)
        }
        // At the prompt the choices are numbered: 1 is the other topic.
        let conversation = Conversation(guide: guide)
        let (state, _) = conversation.run(lines: ["why cant i sleep", "how long does that last?", "1"])
        #expect(state.lastTopic == "timeline")
        // A question confident alone is offered even after a topic that speaks of it (protracted withdrawal says how
        // long); one of a single word that is unsure alone ("normal") stays.
        #expect(guide.answer("how long does that last?", context: "protracted-withdrawal").candidates
                == ["timeline", "protracted-withdrawal"])
        #expect(guide.answer("is that normal?", context: "sleep").id == "sleep")
        // A confident question that names a subject of its own, one the last topic's title does not, gets that
        // subject's topic: "it" is the medicine. Without such a word ("how long", above) the guide asks.
        #expect(guide.answer("can i drink on it", context: "sleep").id == "mixing-substances")
        #expect(guide.answer("could she have a seizure from it", context: "older-adults").id == "seizures")
        #expect(guide.answer("could she have a seizure from it", context: "seizures").id == "seizures")
        #expect(guide.answer("what about seizures then", context: "stopping-suddenly").id == "seizures")
        // So is one far ahead alone (20 times the next topic) with a word few topics use that the last title does
        // not hold; one whose words most topics use points back, and the guide asks.
        #expect(guide.answer("what side effects does it have", context: "pregnancy").id == "side-effects")
        #expect(guide.answer("is there anyone who specializes in that", context: "protracted-withdrawal").id
                == "help-finding")
        let pointing = guide.answer("why does that happen?", context: "family-support")
        #expect(pointing.kind == .clarify && pointing.candidates == ["why-withdrawal", "family-support"])
    }
}
