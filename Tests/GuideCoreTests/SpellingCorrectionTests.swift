@testable import GuideContent
@testable import GuideCore
import Testing

/// Spelling correction picks one word when several are as close and as frequent: the first in alphabetical order,
/// whatever order the matcher's tables happen to be in.
@Suite("Spelling correction")
struct SpellingCorrectionTests {
    /// Eight topics whose only words are eight terms one letter away from "dake", each used once.
    static let words = ["rake", "make", "lake", "fake", "wake", "bake", "take", "cake"]

    static func topics(_ words: [String]) -> [Topic] {
        words.map { word in
            Topic(id: "topic-\(word)", title: word, asks: [], sources: [], reviewed: SimpleDate(year: 2026, month: 1, day: 1),
                  see: [], resources: [], body: [], file: "topics/\(word).txt")
        }
    }

    @Test("A tie between equally close, equally frequent words goes to the first in alphabetical order")
    func tieGoesToTheFirstWord() {
        let matcher = Matcher(topics: SpellingCorrectionTests.topics(SpellingCorrectionTests.words), lexicon: Lexicon())
        #expect(matcher.correction(for: "dake") == "bake")
        let result = matcher.match("dake")
        #expect(result.explanation.corrections.map(\.written) == ["dake"])
        #expect(result.explanation.corrections.map(\.canonical) == ["bake"])
        #expect(result.decision == .answer("topic-bake"))
    }

    @Test("A closer word still wins over an alphabetically earlier one, and a more frequent one over a rarer one")
    func distanceThenFrequencyComeFirst() {
        // "cake" twice (title and an example question), "bake" once: frequency decides before the alphabet.
        var topics = SpellingCorrectionTests.topics(["bake", "cake"])
        topics[1].asks = ["cake"]
        #expect(Matcher(topics: topics, lexicon: Lexicon()).correction(for: "dake") == "cake")
        // For "dakeful", "cakeful" is one letter off and "baleful" two, though "baleful" is more frequent and
        // comes first in the alphabet: the distance decides.
        var longer = SpellingCorrectionTests.topics(["baleful", "cakeful"])
        longer[0].asks = ["baleful", "baleful"]
        #expect(Matcher(topics: longer, lexicon: Lexicon()).correction(for: "dakeful") == "cakeful")
    }

    @Test("A second matcher, built from the same topics in another order, answers every question the same way")
    func independentlyBuiltMatchersAgree() {
        let topics = SpellingCorrectionTests.topics(SpellingCorrectionTests.words)
        let first = Matcher(topics: topics, lexicon: Lexicon())
        let second = Matcher(topics: topics.reversed(), lexicon: Lexicon())
        for question in ["dake", "how do i dake", "lakes and cakes", "wakke", "nothing here"] {
            #expect(first.match(question) == second.match(question), "\(question)")
        }
        let shipped = TestGuide.shipped.bundle
        let again = Matcher(topics: shipped.topics.reversed(), lexicon: shipped.lexicon)
        for question in ["how do i tapper", "withdrawl symtoms", "cant slepe", "seizre", "klonopn dose"] {
            #expect(TestGuide.shipped.matcher.match(question).explanation.corrections
                        == again.match(question).explanation.corrections, "\(question)")
        }
    }

    @Test("The letter-set filter never drops a word within the edit limit, and drops words with other letters")
    func letterSetFilterIsSafe() {
        let vocabulary = ["withdrawal", "clonazepam", "klonopin", "symptom", "seizure", "taper", "tapering", "sleep",
                          "anxiety", "insomnia", "prescriber", "overdose", "benzo", "diazepam", "weather", "whether"]
        let typed = ["withdrawl", "wihtdrawal", "clonazapam", "klonapin", "symptons", "siezure", "tapre", "slepe",
                     "anxeity", "insomina", "perscriber", "overdoes", "benzos", "diazapam", "wether", "zzzzzz"]
        let index = SpellingIndex(vocabulary.map { Array($0.utf8) })
        for word in typed {
            let target = Array(word.utf8)
            for limit in 1...2 {
                let kept = Set(index.candidates(for: target, within: limit))
                let firstTwo = Set(SpellingIndex(vocabulary.map { Array($0.utf8) }).candidates(for: target, within: 99))
                for (position, candidate) in vocabulary.enumerated() where firstTwo.contains(position) {
                    if Matcher.editDistance(target, Array(candidate.utf8), limit: limit) <= limit {
                        #expect(kept.contains(position), "\(word) → \(candidate) within \(limit)")
                    }
                }
            }
        }
        // "wxqjkv" starts like "weather", "whether" and "withdrawal", but shares only the w with them.
        #expect(!index.candidates(for: Array("wxqjkv".utf8), within: 99).isEmpty)
        #expect(index.candidates(for: Array("wxqjkv".utf8), within: 2).isEmpty)
        #expect(SpellingIndex.mask(Array("abc".utf8)) == 0b1110)
    }
}
