import Foundation
@testable import GuideContent
import Testing

@Suite("Loading and checking content bundles")
struct BundleLoaderTests {
    @Test("The shipped English bundle has no errors and no warnings")
    func shippedBundleIsClean() {
        let result = BundleLoader.load(directory: Fixtures.content, today: Fixtures.today)
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.bundle?.topics.count ?? 0 >= 26)
    }

    @Test("The minimal fixture loads into exactly the model its files describe")
    func minimalFixture() throws {
        let result = BundleLoader.load(files: Fixtures.files(Fixtures.minimal), today: Fixtures.today)
        #expect(result.diagnostics == [])
        let bundle = try #require(result.bundle)
        #expect(bundle.topic("sleep") == Topic(
            id: "sleep", title: "Why can't I sleep?",
            asks: ["cant sleep", "insomnia at night", "awake all night", "no sleep for days", "how do i sleep better",
                   "sleep problems", "trouble falling asleep", "waking up at 3am"],
            sources: ["SRC-A"], reviewed: SimpleDate(year: 2026, month: 1, day: 15), see: ["timeline"],
            resources: ["line"],
            body: [.paragraph("Sleep is often **hard** in withdrawal."), .bullets(["Keep a routine.", "Ask your prescriber."])],
            file: "bundle/topics/sleep.txt"))
        #expect(bundle.flow("tour") == Flow(
            id: "tour", title: "The tour", words: ["start", "tour"], start: "one",
            nodes: [
                "one": FlowNode(name: "one", body: [.paragraph("Step one.")],
                                choices: [FlowChoice(label: "Go on", target: .node("two")),
                                          FlowChoice(label: "Leave", target: .end)],
                                next: nil, sources: ["SRC-A"], resources: []),
                "two": FlowNode(name: "two", body: [.paragraph("Step two.")],
                                choices: [FlowChoice(label: "Go on", target: .node("jump")),
                                          FlowChoice(label: "Back to one", target: .node("one"))],
                                next: nil, sources: [], resources: []),
                "jump": FlowNode(name: "jump", body: [.paragraph("Jumping.")], choices: [],
                                 next: .topic("tapering"), sources: [], resources: []),
            ],
            order: ["one", "two", "jump"], file: "bundle/flows/tour.txt"))
        #expect(bundle.resources == [Resource(
            id: "line", name: "Help Line",
            details: [Resource.Detail(key: "phone", value: "555-0100"), Resource.Detail(key: "hours", value: "Always")],
            verified: SimpleDate(year: 2026, month: 1, day: 10), body: [])])
        #expect(bundle.sources["SRC-A"] == Source(id: "SRC-A", title: "Source A", publisher: "Publisher A",
                                                  year: "2025", url: "https://example.org/a"))
        #expect(bundle.safety.map(\.id) == ["suicide", "overdose", "seizure", "severe-withdrawal", "someone-else"])
        #expect(bundle.safety[0] == SafetyCategory(
            id: "suicide", title: "Thoughts of suicide", triggers: ["kill myself", "want to die"],
            exclusions: ["dying to know"], response: [.paragraph("Call or text 988.")]))
        #expect(bundle.lexicon == Lexicon(
            entries: [Lexicon.Entry(canonical: "taper", variants: ["wean off", "cut down", "come off"]),
                      Lexicon.Entry(canonical: "withdrawal", variants: ["withdrawl", "wd"])],
            ignored: ["the", "a", "is", "i", "my", "do", "how"], everyday: ["heard", "paper", "people"],
            notCovered: ["alcohol", "lyrica"], comingOff: ["withdrawal", "taper"], comingOffLinks: ["from", "off"]))
    }

    @Test("The fingerprint of example questions is FNV-1a 64 summed, the same in any order, as the trainer writes it")
    func examplePrint() {
        var ab = ExamplePrint()
        ab.add("a")
        ab.add("how long does withdrawal last")
        var ba = ExamplePrint()
        ba.add("how long does withdrawal last")
        ba.add("a")
        #expect(ab == ba && ab.count == 2)
        var a = ExamplePrint()
        a.add("a")
        #expect(a.text == "1 af63dc4c8601ec8c")  // FNV-1a 64 of "a", the published test vector
        var empty = ExamplePrint()
        empty.add(ExamplePrint())
        #expect(empty.text == "0 0000000000000000")
    }

    /// A change to one file of a fixture, and every diagnostic it must produce.
    struct Breakage: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var change: @Sendable (String) -> String
        var expected: [String]
        var testDescription: String { name }
    }

    static let breakages: [Breakage] = [
        Breakage(name: "unknown related topic", file: "topics/timeline.txt",
                 change: { $0.replacingOccurrences(of: "reviewed: 2026-01-15", with: "reviewed: 2026-01-15\nsee: symptomz, sleep") },
                 expected: ["bundle/topics/timeline.txt:13:6: error: unknown topic 'symptomz': use an id from topics/ [K022]"]),
        Breakage(name: "section name with spaces", file: "resources.txt",
                 change: { "== bad name!\nname: X\nverified: 2026-01-10\n\n" + $0 },
                 expected: ["bundle/resources.txt:1:1: error: a section line needs a name of letters, digits and dashes, like '== start' [K001]"]),
        Breakage(name: "duplicate topic id", file: "topics/copy.txt",
                 change: { _ in try! String(contentsOfFile: Fixtures.minimal + "/topics/sleep.txt", encoding: .utf8) },
                 expected: [
                    "bundle/topics/copy.txt:1:5: error: the id 'sleep' must match the file name 'copy.txt' [K015]",
                    "bundle/topics/sleep.txt:1:1: error: topic id 'sleep' is already used in bundle/topics/copy.txt [K020]",
                 ]),
        Breakage(name: "unreachable node", file: "flows/tour.txt",
                 change: { $0 + "\n== orphan\nLost.\n\n-> end\n" },
                 expected: ["bundle/flows/tour.txt:23:1: error: node 'orphan' cannot be reached from 'one': link to it or remove it [K026]"]),
        Breakage(name: "node with no way out", file: "flows/tour.txt",
                 change: { $0.replacingOccurrences(of: "Step two.\n\n1. Go on -> jump\n2. Back to one -> one\n", with: "Step two.\n") },
                 expected: [
                    "bundle/flows/tour.txt:12:1: error: node 'two' has no way out: end it with choices ('1. Go on -> next-node') or '-> end' [K027]",
                    "bundle/flows/tour.txt:15:1: error: node 'jump' cannot be reached from 'one': link to it or remove it [K026]",
                 ]),
        Breakage(name: "topic without sources or review date", file: "topics/tapering.txt",
                 change: { $0.replacingOccurrences(of: "sources: SRC-B\nreviewed: 2026-01-15\n", with: "") },
                 expected: [
                    "bundle/topics/tapering.txt:1:1: error: this file needs a 'sources:' field [K010]",
                    "bundle/topics/tapering.txt:1:1: error: this file needs a 'reviewed:' field [K010]",
                 ]),
        Breakage(name: "missing safety category", file: "safety.txt",
                 change: { $0.replacingOccurrences(of: "== seizure\ntitle: Seizure\ntrigger: having a seizure\n\nCall 911 now.\n", with: "") },
                 expected: ["bundle/safety.txt:1:1: error: the safety category 'seizure' is missing: add a section '== seizure' [K042]"]),
        Breakage(name: "empty safety set", file: "safety.txt",
                 change: { _ in "== sos\ntitle: Emergency help\n\nCall 911.\n" },
                 expected: [
                    "bundle/safety.txt:1:1: error: the safety set is empty: the guide cannot run without its crisis screen [K042]",
                    "bundle/safety.txt:1:1: error: the safety category 'suicide' is missing: add a section '== suicide' [K042]",
                    "bundle/safety.txt:1:1: error: the safety category 'overdose' is missing: add a section '== overdose' [K042]",
                    "bundle/safety.txt:1:1: error: the safety category 'seizure' is missing: add a section '== seizure' [K042]",
                    "bundle/safety.txt:1:1: error: the safety category 'severe-withdrawal' is missing: add a section '== severe-withdrawal' [K042]",
                    "bundle/safety.txt:1:1: error: the safety category 'someone-else' is missing: add a section '== someone-else' [K042]",
                 ]),
        Breakage(name: "flow jumps to an unknown topic", file: "flows/tour.txt",
                 change: { $0.replacingOccurrences(of: "-> topic tapering", with: "-> topic taperin") },
                 expected: ["bundle/flows/tour.txt:21:4: error: unknown topic 'taperin': use an id from topics/ [K022]"]),
        Breakage(name: "choices out of order", file: "flows/tour.txt",
                 change: { $0.replacingOccurrences(of: "2. Leave -> end", with: "3. Leave -> end") },
                 expected: ["bundle/flows/tour.txt:10:1: error: choice 3 should be numbered 2: number choices 1, 2, 3 in order [K028]"]),
        Breakage(name: "missing message", file: "ui.txt",
                 change: { $0.replacingOccurrences(of: "== why-nothing\nWHY-NOTHING.\n", with: "") },
                 expected: ["bundle/ui.txt:1:1: error: the message 'why-nothing' is missing: add a section '== why-nothing' [K044]"]),
        Breakage(name: "impossible date", file: "topics/sleep.txt",
                 change: { $0.replacingOccurrences(of: "reviewed: 2026-01-15", with: "reviewed: 2026-13-40") },
                 expected: ["bundle/topics/sleep.txt:12:11: error: '2026-13-40' is not a date: write it as YYYY-MM-DD, like 2026-11-27 [K011]"]),
        Breakage(name: "resource verified more than a year ago", file: "resources.txt",
                 change: { $0.replacingOccurrences(of: "verified: 2026-01-10", with: "verified: 2024-03-01") },
                 expected: ["bundle/resources.txt:5:11: warning: resource 'line' was last verified on 2024-03-01, more than a year ago: check its details and update the date [K047]"]),
        Breakage(name: "unknown field", file: "topics/sleep.txt",
                 change: { $0.replacingOccurrences(of: "see: timeline", with: "see: timeline\nauthor: Sam") },
                 expected: ["bundle/topics/sleep.txt:14:1: warning: unknown field 'author' (known fields: ask, id, resources, reviewed, see, sources, title); if this is text, put a blank line before it [K012]"]),
        Breakage(name: "unknown source key", file: "topics/timeline.txt",
                 change: { $0.replacingOccurrences(of: "sources: SRC-A, SRC-B", with: "sources: SRC-A, SRC-Z") },
                 expected: ["bundle/topics/timeline.txt:11:17: error: unknown source key 'SRC-Z': add it to sources.txt [K021]"]),
        Breakage(name: "a word list with a capital, a digit, a word out of order and a repeat", file: "words.txt",
                 change: { _ in "// everyday words\nable\nBark\nbark\nab1e\nzebra\nyak\nzebra\n" },
                 expected: [
                    "bundle/words.txt:3:1: error: a line of words.txt is one word of lower-case letters a to z; this one has 'B' [K061]",
                    "bundle/words.txt:5:3: error: a line of words.txt is one word of lower-case letters a to z; this one has '1' [K061]",
                    "bundle/words.txt:7:1: error: words.txt is in alphabetical order without repeats: 'yak' comes after 'zebra' [K061]",
                    "bundle/words.txt:8:1: error: words.txt is in alphabetical order without repeats: 'zebra' comes after 'zebra' [K061]",
                 ]),
        Breakage(name: "a resource detail that repeats the label the guide writes before it", file: "resources.txt",
                 change: { $0.replacingOccurrences(of: "phone: 555-0100", with: "phone: Call 555-0100") },
                 expected: ["bundle/resources.txt:3:8: warning: the guide writes 'Call' before a resource's phone; start the value after it [K062]"]),
        Breakage(name: "binary garbage instead of a lexicon", file: "lexicon.txt",
                 change: { _ in String(decoding: [0xFF, 0xFE, 0x00, 0x67, 0x01, 0x0A], as: UTF8.self) },
                 expected: ["bundle/lexicon.txt:1:1: error: a lexicon line is 'word: other way, other way'; this line has no ':' [K048]"]),
        Breakage(name: "flow claims a reserved word", file: "flows/tour.txt",
                 change: { $0.replacingOccurrences(of: "words: start, tour", with: "words: start, help") },
                 expected: ["bundle/flows/tour.txt:3:1: error: 'help' is a reserved word that works at every prompt; a flow cannot use it [K031]"]),
        Breakage(name: "missing ui file", file: "ui.txt", change: { _ in "\u{0}DELETE" },
                 expected: ["bundle/ui.txt:1:1: error: the bundle needs this file, and it is missing or cannot be read [K045]"]),
        Breakage(name: "menu names an unknown flow", file: "ui.txt",
                 change: { $0.replacingOccurrences(of: "tour: Take the tour", with: "tourr: Take the tour") },
                 expected: ["bundle/ui.txt:5:1: error: unknown choice 'tourr' in 'menu': use a flow id or one of topics, sos, carry-on [K025]"]),
        Breakage(name: "choice with no label and text after choices", file: "flows/tour.txt",
                 change: { $0.replacingOccurrences(of: "2. Leave -> end", with: "2. -> end\nMore text.") },
                 expected: [
                    "bundle/flows/tour.txt:10:1: error: choice 2 needs a label before '->' [K030]",
                    "bundle/flows/tour.txt:11:1: error: text after a node's choices: move it above them [K029]",
                 ]),
        Breakage(name: "a 'not:' phrase with an unknown word group or a gap", file: "safety.txt",
                 change: {
                     $0.replacingOccurrences(of: "trigger: having a seizure\n",
                                             with: "trigger: having a seizure\nnot: {nothing} here\nnot: seizure * movie\n")
                 },
                 expected: [
                    "bundle/safety.txt:23:6: error: unknown word group '{nothing}': define it under '== words' [K043]",
                    "bundle/safety.txt:24:6: error: a 'not:' phrase takes words and {groups}, not '*' or '...' [K043]",
                 ]),
        Breakage(name: "'when:' with another value than 'unmatched', or with no 'answer:'", file: "safety.txt",
                 change: {
                     $0 + "\n== mention\ntitle: A dose named\nanswer: sleep\nwhen: sometimes\ntrigger: {number} mg\n\nAsk.\n"
                         + "\n== bare\ntitle: No answer\nwhen: unmatched\ntrigger: two mg\n\nAsk.\n"
                 },
                 expected: [
                    "bundle/safety.txt:41:7: error: 'when:' takes one value, 'unmatched' (the answer is given only when no topic fits the line) [K059]",
                    "bundle/safety.txt:48:1: error: 'when: unmatched' needs an 'answer:' topic to give when no other topic fits [K059]",
                 ]),
        Breakage(name: "an 'age-from:' that is not one whole number", file: "lexicon.txt",
                 change: { $0 + "\nage-from: old\n" },
                 expected: [
                    "bundle/lexicon.txt:11:1: error: 'age-from:' is one whole number, the first age read as 'age-reads-as:', like 'age-from: 65' [K048]",
                 ]),
        Breakage(name: "'topics:' naming a topic that does not exist, or with no 'answer:'", file: "safety.txt",
                 change: {
                     $0 + "\n== ask\ntitle: Dose\nanswer: sleep\ntopics: sleep, nowhere\ntrigger: {number} mg\n\nAsk.\n"
                         + "\n== loose\ntitle: No answer\ntopics: sleep\ntrigger: two mg\n\nAsk.\n"
                 },
                 expected: [
                    "bundle/safety.txt:41:16: error: unknown topic 'nowhere': use an id from topics/ [K022]",
                    "bundle/safety.txt:48:1: error: 'topics:' needs an 'answer:' topic: it names topics given instead of that one, after this section's text [K059]",
                 ]),
        Breakage(name: "a safety model with a bad number and a bad term line", file: "safety-model.txt",
                 change: { _ in
                     "// generated\nthreshold: high\nbias: -1\ncategories: suicide, seizure\npriors: -1 -2\n\n== terms\n"
                         + "goodbye\t1.5\t-1 -2\nforever\t2\ngoodbye\t1\t-1 -1\nsoon\tnan\t-1 -1\n"
                 },
                 expected: [
                    "bundle/safety-model.txt:1:1: error: the model needs 'threshold:', 'bias:', 'categories:' and one prior a category in 'priors:' [K060]",
                    "bundle/safety-model.txt:2:12: error: 'threshold:' needs a number [K060]",
                    "bundle/safety-model.txt:9:1: error: a term line is the term, a tab, its weight, a tab and 2 numbers (one a category) [K060]",
                    "bundle/safety-model.txt:10:1: error: the term 'goodbye' is given twice [K060]",
                    "bundle/safety-model.txt:11:1: error: a term line is the term, a tab, its weight, a tab and 2 numbers (one a category) [K060]",
                 ]),
        Breakage(name: "a safety model trained on other example questions, or with a bad 'examples:' line",
                 file: "safety-model.txt",
                 change: { _ in
                     "threshold: 2\nbias: -1\ncategories: suicide\npriors: -1\nexamples: 3 00000000000000ff\n== terms\ngoodbye\t1.5\t-1\n"
                 },
                 expected: [
                    "bundle/safety-model.txt:5:1: warning: a title or example question changed since the model was trained (3 then, 27 now): train it again (python3 bench/train_safety_model.py for Content/en) [K063]",
                 ]),
        Breakage(name: "a safety model with an 'examples:' line that is not a count and a hash", file: "safety-model.txt",
                 change: { _ in "threshold: 2\nbias: -1\ncategories: suicide\npriors: -1\nexamples: many\n== terms\n" },
                 expected: [
                    "bundle/safety-model.txt:5:11: error: 'examples:' is a count and 16 hex digits, as bench/train_safety_model.py writes it [K060]",
                 ]),
        Breakage(name: "a safety model naming a section that is no emergency", file: "safety-model.txt",
                 change: { _ in "threshold: 2\nbias: -1\ncategories: suicide, dose\npriors: -1 -2\n== terms\ngoodbye\t1.5\t-1 -2\n" },
                 expected: [
                    "bundle/safety-model.txt:1:1: error: the model names 'dose', which is not an emergency section of safety.txt [K060]",
                 ]),
        Breakage(name: "small talk without words, taking a reserved word, or with no text; a bad choice word line",
                 file: "ui.txt",
                 change: {
                     $0.replacingOccurrences(of: "words: thanks, thank you", with: "words: thanks, help, start")
                         .replacingOccurrences(of: "choice-2: second, two", with: "choice-two: second\nchoice-3: third")
                         + "\n== reply-hello\nHELLO.\n\n== reply-empty\nwords: hey\n"
                 },
                 expected: [
                    "bundle/ui.txt:114:1: error: unknown line 'choice-two:' in 'choice-words': use 'around:', 'same-as:' or 'choice-' and a number, like 'choice-2:' [K058]",
                    "bundle/ui.txt:119:8: error: 'help' is a reserved word that works at every prompt; a reply cannot use it [K058]",
                    "bundle/ui.txt:119:8: error: 'start' starts a flow; a reply cannot use it [K058]",
                    "bundle/ui.txt:126:1: error: the reply 'reply-hello' needs a 'words:' line listing what it answers, like 'words: thanks, thank you' [K058]",
                    "bundle/ui.txt:129:1: error: the reply 'reply-empty' has no text to show [K058]",
                 ]),
        Breakage(name: "a reply with a 'then:' that is not 'related', and one that lists related topics with no 'first:'",
                 file: "ui.txt",
                 change: {
                     $0 + "\n== reply-more\nwords: more\nthen: later\n\nMORE.\n\n== reply-else\nwords: what else\nthen: related\n\nELSE.\n"
                 },
                 expected: [
                    "bundle/ui.txt:127:7: error: 'then:' in a reply can only be 'related' (list the related topics of the topic just shown) [K058]",
                    "bundle/ui.txt:133:1: error: the reply 'reply-else' lists related topics, so it needs a 'first:' line for when no topic has been shown yet [K058]",
                 ]),
    ]

    @Test("Each broken fixture gets exactly its diagnostics, and no bundle", arguments: breakages)
    func brokenFixture(_ breakage: Breakage) {
        var files = Fixtures.files(Fixtures.minimal)
        let changed = breakage.change(files[breakage.file] ?? "")
        if changed == "\u{0}DELETE" { files[breakage.file] = nil } else { files[breakage.file] = changed }
        let result = BundleLoader.load(files: files, today: Fixtures.today)
        #expect(result.diagnostics.map(\.description) == breakage.expected)
        #expect((result.bundle == nil) == breakage.expected.contains { $0.contains(": error: ") })
    }

    @Test("Many topics are read on two threads: the same topics in order, and each problem once, in order")
    func manyTopics() throws {
        func topic(_ index: Int, id: String? = nil, extra: String = "") -> String {
            let name = String(format: "extra-%03d", index)
            return "id: \(id ?? name)\ntitle: Extra \(index)\n"
                + (1...8).map { "ask: extra question \(index) way \($0)\n" }.joined()
                + "sources: SRC-A\nreviewed: 2026-01-15\n\(extra)\nSome text.\n"
        }
        var clean = Fixtures.files(Fixtures.minimal)
        let count = Loader.topicsForTwoThreads + 6
        for index in 0..<count { clean[String(format: "topics/extra-%03d.txt", index)] = topic(index) }
        let bundle = try #require(BundleLoader.load(files: clean, today: Fixtures.today).bundle)
        #expect(bundle.topics.map(\.id)
            == (["sleep", "tapering", "timeline"] + (0..<count).map { String(format: "extra-%03d", $0) }).sorted())
        #expect(bundle.topic("extra-068")?.asks.first == "extra question 68 way 1")

        // One problem in each half of the names, and an id used twice across the halves.
        var broken = clean
        broken["topics/extra-001.txt"] = topic(1, extra: "see: nowhere\n")
        broken["topics/extra-068.txt"] = topic(68, id: "extra-002")
        let result = BundleLoader.load(files: broken, today: Fixtures.today)
        #expect(result.bundle == nil)
        #expect(result.diagnostics.map(\.description) == [
            "bundle/topics/extra-001.txt:13:6: error: unknown topic 'nowhere': use an id from topics/ [K022]",
            "bundle/topics/extra-068.txt:1:1: error: topic id 'extra-002' is already used in bundle/topics/extra-002.txt [K020]",
            "bundle/topics/extra-068.txt:1:5: error: the id 'extra-002' must match the file name 'extra-068.txt' [K015]",
        ])
    }

    @Test("An English bundle must hold every required topic and flow")
    func requiredTopicsAndFlows() {
        var files = Fixtures.files(Fixtures.minimal)
        files["bundle.txt"] = "language: en\nname: Test\n"
        let result = BundleLoader.load(files: files, today: Fixtures.today)
        let missingTopics = ContentRequirements.topics.filter { !["sleep", "timeline", "tapering"].contains($0) }
        #expect(result.diagnostics.map(\.description)
            == (missingTopics.map { "bundle/bundle.txt:1:1: error: the required topic '\($0)' is missing: add topics/\($0).txt [K040]" }
                + ContentRequirements.flows.map { "bundle/bundle.txt:1:1: error: the required flow '\($0)' is missing: add flows/\($0).txt [K041]" }))
    }

    @Test("A folder with no bundle is found missing, not crashed on")
    func missingFolder() {
        #expect(BundleLoader.resolve("/nonexistent/klonopin", language: "en") == nil)
        #expect(BundleLoader.resolve(Fixtures.repository.appendingPathComponent("Content").path, language: "en")
            == Fixtures.content)
    }
}
