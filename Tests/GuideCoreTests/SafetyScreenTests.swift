@testable import GuideContent
@testable import GuideCore
import Testing

/// The pattern language of `safety.txt`, one rule at a time, on a small screen made here (not the shipped bundle).
@Suite("Safety screen patterns")
struct SafetyScreenTests {
    static func category(_ id: String, triggers: [String], exclusions: [String] = [], past: [String] = []) -> SafetyCategory {
        SafetyCategory(id: id, title: id, triggers: triggers, exclusions: exclusions, response: [.paragraph(id)],
                       past: past)
    }

    static let screen = SafetyScreen(
        categories: [
            category("suicide", triggers: ["{gave} ... {wont-need}", "end it * tonight"],
                     exclusions: ["dying to know"]),
            category("seizure", triggers: ["had a seizure"], past: ["years ago", "in 2018"]),
            category("dose-change", triggers: ["{ask} take more"]),
        ],
        groups: [
            "gave": ["gave", "gave away"],
            "wont-need": ["wont need", "wont be needing"],
            "ask": ["can i", "should i"],
            "now": ["again", "right now"],
        ])

    static func found(_ line: String) -> String? { screen.screen(line)?.category }

    @Test("`*` spans 0 to 3 words")
    func shortGap() {
        #expect(SafetyScreenTests.found("i will end it tonight") == "suicide")
        #expect(SafetyScreenTests.found("end it all right here tonight") == "suicide")
        #expect(SafetyScreenTests.found("end it and then maybe later tonight") == nil)
    }

    @Test("`...` spans 0 to 12 words, in order")
    func longGap() {
        #expect(SafetyScreen.maxLongGap == 12)
        #expect(SafetyScreenTests.found("gave my dog to my sister and my guitar to my nephew wont be needing them")
            == "suicide")  // 11 words between
        #expect(SafetyScreenTests.found("gave one two three four five six seven eight nine ten eleven twelve wont need")
            == "suicide")  // 12 words between
        #expect(SafetyScreenTests.found("gave one two three four five six seven eight nine ten eleven twelve thirteen wont need")
            == nil)  // 13 words between
        #expect(SafetyScreenTests.found("wont need it so i gave it away") == nil)  // wrong order
    }

    @Test("The whole finding: category, trigger as written, spelling repairs")
    func wholeFinding() {
        #expect(SafetyScreenTests.screen.screen("gave awya my stuff, wont need it")
            == SafetyScreen.Finding(category: "suicide", trigger: "{gave} ... {wont-need}",
                                    corrections: [Analyzer.Replacement(written: "awya", canonical: "away")]))
        #expect(SafetyScreenTests.screen.screen("i hda a seizure") == nil)  // short words are never repaired
        #expect(SafetyScreenTests.screen.screen("i had a siezure")
            == SafetyScreen.Finding(category: "seizure", trigger: "had a seizure",
                                    corrections: [Analyzer.Replacement(written: "siezure", canonical: "seizure")]))
    }

    @Test("`not:` phrases are taken out before triggers are looked for")
    func exclusionsComeOut() {
        #expect(SafetyScreenTests.found("gave up dying to know wont need") == "suicide")  // the rest still matches
        let screen = SafetyScreen(categories: [SafetyScreenTests.category("suicide", triggers: ["want to die"],
                                                                            exclusions: ["want to die laughing"])])
        #expect(screen.screen("i want to die laughing at this") == nil)
        #expect(screen.screen("i want to die") != nil)
    }

    @Test("A `not:` phrase may use word groups and {number}; the longest phrase that starts at a word comes out")
    func exclusionsWithGroups() {
        let screen = SafetyScreen(
            categories: [SafetyScreenTests.category("suicide", triggers: ["{act}", "took {number} pills"],
                                                    exclusions: ["{never} {act}", "{never} {act} ever",
                                                                 "took {number} pills years ago"])],
            groups: ["act": ["kill myself", "unalive myself"], "never": ["not gonna", "would never"]])
        #expect(screen.screen("not gonna unalive myself dont worry")?.category == nil)
        #expect(screen.screen("i would never kill myself")?.category == nil)
        #expect(screen.screen("not gonna lie i want to kill myself")?.category == "suicide")
        // Taken out as a whole, the longest first: nothing is left to join "kill myself" again.
        #expect(screen.screen("would never kill myself ever")?.category == nil)
        #expect(screen.screen("i took 30 pills years ago")?.category == nil)
        #expect(screen.screen("i took 30 pills")?.category == "suicide")
    }

    @Test("A phrase of the `intent` group keeps a line's `not:` phrases in it: the question is no figure of speech")
    func intentKeepsExclusions() {
        let screen = SafetyScreen(
            categories: [SafetyScreenTests.category("overdose", triggers: ["overdose on {pills}"],
                                                    exclusions: ["can you overdose on"])],
            groups: ["pills": ["klonopin", "pills"], "intent": ["i want to do it", "asking for myself"]])
        #expect(screen.screen("can you overdose on klonopin")?.category == nil)
        #expect(screen.screen("can you overdose on klonopin? i want to know")?.category == nil)
        #expect(screen.screen("can you overdose on klonopin? i want to do it")?.category == "overdose")
        #expect(screen.screen("can you overdose on pills, asking for myself")?.category == "overdose")
    }

    @Test("`past:` skips a section for a line about the past, unless the `now` group says it is happening now")
    func pastEvents() {
        #expect(SafetyScreenTests.found("i had a seizure years ago") == nil)
        #expect(SafetyScreenTests.found("had a seizure in 2018 before klonopin") == nil)
        #expect(SafetyScreenTests.found("had a seizure in 2018 and i think it is happening again") == "seizure")
        #expect(SafetyScreenTests.found("i had a seizure right now") == "seizure")
        #expect(SafetyScreenTests.found("i just had a seizure") == "seizure")
        // Only the section with the `past:` phrase is skipped.
        #expect(SafetyScreenTests.found("years ago i gave it away, wont need it") == "suicide")
    }

    @Test("The first section in file order wins when several fire")
    func firstSectionWins() {
        #expect(SafetyScreenTests.found("can i take more, i had a seizure") == "seizure")
        #expect(SafetyScreenTests.found("can i take more") == "dose-change")
    }

    @Test("A trigger may start with a group of numbers; the line's number starts it")
    func groupOfNumbersFirst() {
        let screen = SafetyScreen(
            categories: [SafetyScreenTests.category("dose-change", triggers: ["{amount} too", "{number} percent"])],
            groups: ["amount": ["0.25", "0.5"]])
        #expect(screen.screen("is 0.5 too much")?.trigger == "{amount} too")
        #expect(screen.screen("0.25 too big a step") != nil)
        #expect(screen.screen("10 percent") != nil)  // `{number}` triggers still start on any number
        #expect(screen.screen("is 0.75 too much") == nil)  // not in the group
    }

    @Test("The second look flags a line no trigger caught by the weight of its words, in the section they fit best")
    func secondLook() {
        func term(_ weight: Double, _ likelihoods: [Double]) -> SafetyModel.Term {
            SafetyModel.Term(weight: weight, likelihoods: likelihoods)
        }
        let model = SafetyModel(
            threshold: 0.5, bias: -2, categories: ["suicide", "seizure"], priors: [-0.5, -1],
            terms: ["goodbye": term(1.5, [-1, -3]), "goodbye forever": term(2, [-1, -4]), "party": term(-3, [-5, -5]),
                    "shaking": term(1.5, [-4, -1]), "floor": term(1.5, [-3, -1])])
        let screen = SafetyScreen(
            categories: [
                SafetyScreenTests.category("suicide", triggers: ["end it * tonight"], exclusions: ["dying to know"]),
                SafetyScreenTests.category("seizure", triggers: ["had a seizure"], past: ["in 2018"]),
            ],
            groups: ["now": ["again", "right now"]], model: model)
        func finding(_ category: String, _ trigger: String) -> SafetyScreen.Finding {
            SafetyScreen.Finding(category: category, trigger: trigger, corrections: [],
                                 bySecondLook: trigger.hasPrefix("second look"))
        }
        // Past the threshold: the section with the highest likelihood; the strongest terms named.
        #expect(screen.screen("Goodbye forever.") == finding("suicide", "second look: goodbye forever, goodbye"))
        #expect(screen.screen("shaking on the floor") == finding("seizure", "second look: floor, shaking"))
        // Below it: words that weigh against a crisis, or too little weight.
        #expect(screen.screen("goodbye party") == nil)
        #expect(screen.screen("goodbye") == nil)
        #expect(screen.screen("") == nil)
        // A trigger still wins; a `past:` phrase puts its section aside for the second look too.
        #expect(screen.screen("goodbye, i will end it tonight") == finding("suicide", "end it * tonight"))
        #expect(screen.screen("shaking on the floor in 2018") == nil)
        #expect(screen.screen("shaking on the floor in 2018 and again") == finding("seizure", "second look: floor, shaking"))
        // `not:` phrases are taken out first: "dying to know goodbye forever" keeps only "goodbye forever".
        #expect(screen.screen("dying to know goodbye forever") == finding("suicide", "second look: goodbye forever, goodbye"))
        // Without a model, nothing but the triggers.
        #expect(SafetyScreenTests.screen.screen("goodbye forever") == nil)
        // A section that is no emergency (a dose named) does not hide what the second look finds.
        let withDose = SafetyScreen(
            categories: [
                SafetyScreenTests.category("suicide", triggers: ["end it * tonight"]),
                SafetyCategory(id: "dose-mention", title: "Dose", triggers: ["two mg"], exclusions: [],
                               response: [.paragraph("Ask.")], answer: "dosing", whenUnmatched: true),
            ],
            model: model)
        #expect(withDose.screen("two mg tonight goodbye forever") == finding("suicide", "second look: goodbye forever, goodbye"))
        #expect(withDose.screen("two mg tonight") == finding("dose-mention", "two mg"))
        // Only terms that weigh toward a crisis are named ("party" weighs against one).
        #expect(screen.screen("party goodbye forever shaking floor")
            == finding("suicide", "second look: goodbye forever, floor, goodbye"))
    }
}
