import Foundation
import GuideContent
@testable import GuideCore
import Testing

/// Whole transitions of the conversation state machine, on the minimal fixture bundle.
@Suite("Conversation state machine")
struct ConversationTests {
    let conversation = Conversation(guide: TestGuide.minimal)
    typealias State = Conversation.State

    static let menu: [Block] = [.paragraph("MENU."), .choices(["Take the tour", "All topics"])]
    static let menuPicks: [Conversation.Pick] = [.flow("tour"), .topicList]
    static let sleepTopic: [Block] = [
        .heading("Why can't I sleep?"), .paragraph("Sleep is often **hard** in withdrawal."),
        .bullets(["Keep a routine.", "Ask your prescriber."]), .bullets(["**Help Line**: Call 555-0100"]),
        .paragraph("Related: timeline"),
    ]
    static let nodeOne: [Block] = [.paragraph("Step one."), .choices(["Go on", "Leave"])]
    static let nodeTwo: [Block] = [.paragraph("Step two."), .choices(["Go on", "Back to one"])]
    static let afterCrisis: [Block] = [.paragraph("AFTER-CRISIS."), .choices(["Numbers again", "Go on"])]
    static let afterCrisisPicks: [Conversation.Pick] = [.sos, .carryOn]

    @Test("Starting shows the welcome and the menu")
    func start() {
        let (state, effects) = conversation.reduce(State(), .started)
        var expected = State()
        expected.mode = .choosing(Self.menuPicks)
        expected.lastShown = [.paragraph("WELCOME.")] + Self.menu
        #expect(state == expected)
        #expect(effects == [.say([.paragraph("WELCOME.")] + Self.menu)])
    }

    @Test("A clear question is answered with its topic, resources and related topics")
    func answer() {
        let (state, effects) = conversation.run(lines: ["i cant sleep at night"])
        var expected = State()
        expected.mode = .ready
        expected.lastShown = Self.sleepTopic
        expected.lastSources = ["SRC-A"]
        expected.lastTopic = "sleep"
        expected.lastExplanation = state.lastExplanation
        #expect(state == expected)
        #expect(effects == [.say(Self.sleepTopic)])
        #expect(state.lastExplanation?.top.first?.id == "sleep")
    }

    @Test("A close call offers numbered choices, and a number picks one")
    func clarifyThenPick() {
        let (state, effects) = conversation.run(lines: ["insomnia duration"])
        #expect(state.mode == .choosing([.topic("sleep"), .topic("timeline")]))
        #expect(effects == [.say([.paragraph("CLARIFY."), .choices(["Why can't I sleep?", "How long does withdrawal last?"])])])
        let (picked, pickEffects) = conversation.reduce(state, .lineEntered("1"))
        #expect(picked.mode == .ready)
        #expect(picked.lastTopic == "sleep")
        #expect(pickEffects == [.say(Self.sleepTopic)])
        let (_, outOfRange) = conversation.reduce(state, .lineEntered("7"))
        #expect(outOfRange == [.say([.paragraph("Type 1 to 2.")])])
    }

    @Test("Number words from ui.txt pick from a list; other words around them make a question")
    func numberWordsPick() {
        let (state, _) = conversation.run(lines: ["insomnia duration"])
        for (line, topic) in [("the second one", "timeline"), ("Second!", "timeline"), ("number 2", "timeline"),
                              ("one", "sleep"), ("the first", "sleep")] {
            let (picked, _) = conversation.reduce(state, .lineEntered(line))
            #expect(picked.lastTopic == topic, "\(line)")
            #expect(picked.mode == .ready, "\(line)")
        }
        // Not a pick: words that are not around a number, a word of `around` alone. Each is read as a question, as
        // it would be with no list on screen.
        var ready = state
        ready.mode = .ready
        for line in ["the second week", "the", "two weeks"] {
            #expect(conversation.reduce(state, .lineEntered(line)).1 == conversation.reduce(ready, .lineEntered(line)).1,
                    "\(line)")
        }
    }

    @Test("A number with no list on screen is not read as a question")
    func numberWithoutList() {
        let (state, _) = conversation.run(lines: ["i cant sleep at night"])
        #expect(state.mode == .ready)
        for line in ["the first one", "2", "number two"] {
            let (after, effects) = conversation.reduce(state, .lineEntered(line))
            #expect(effects == [.say([.paragraph("NO-LIST.")])], "\(line)")
            #expect(after == state, "\(line)")
        }
    }

    @Test("A choice is picked by its label, the start of one label, or a same-as phrase for a label on screen")
    func labelsPick() {
        let (start, _) = conversation.run(lines: ["start"])
        let inTwo = Conversation.FlowPosition(flow: "tour", node: "two", trail: ["one"])
        for line in ["Go on!", "go", "next", "NEXT"] {
            #expect(conversation.reduce(start, .lineEntered(line)).0.flow == inTwo, "\(line)")
        }
        #expect(conversation.reduce(start, .lineEntered("leave")).0.flow == nil)
        let (two, _) = conversation.reduce(start, .lineEntered("go on"))
        // On step two, a whole label.
        #expect(conversation.reduce(two, .lineEntered("back to one")).0.flow
            == Conversation.FlowPosition(flow: "tour", node: "one", trail: ["one", "two"]))
        // A "did you mean" list: a title's first words pick it; a word of `around:` alone does not.
        let (choosing, _) = conversation.run(lines: ["insomnia duration"])
        #expect(conversation.reduce(choosing, .lineEntered("why cant i sleep")).0.lastTopic == "sleep")
        #expect(conversation.reduce(choosing, .lineEntered("How long")).0.lastTopic == "timeline")
        #expect(conversation.labelPick("the", choosing) == nil)
        #expect(conversation.labelPick("next", choosing) == nil, "no 'Go on' on screen")
        #expect(conversation.choiceLabels(choosing) == ["Why can't I sleep?", "How long does withdrawal last?"])
    }

    @Test("Small talk typed alone gets its reply from ui.txt, and the state stays as it was")
    func smallTalk() {
        let (state, _) = conversation.run(lines: ["i cant sleep at night"])
        let (after, effects) = conversation.reduce(state, .lineEntered("Thank you!"))
        #expect(effects == [.say([.paragraph("YOU-ARE-WELCOME.")])])
        #expect(after == state, "a reply is not remembered for 'repeat' and changes nothing else")
        // Within a longer line the words are a question like any other.
        let (_, question) = conversation.reduce(state, .lineEntered("thanks but i still cant sleep"))
        #expect(question != effects)
    }

    @Test("A line of nothing but small-talk phrases is small talk: the reply of the last phrase, in ask too")
    func smallTalkPhrases() {
        let talk = TestGuide.shipped.smallTalk
        let lines = ["hello is anyone there", "ok thanks", "thanks ok", "Hi!! Good morning", "test test",
                     "hi i cant sleep", "thanks but how long does it last", "", "is anyone there thanks bye"]
        #expect(lines.map { talk.reply(TextNormalizer.words($0)) }
                == ["reply-hello", "reply-thanks", "reply-ok", "reply-hello", "reply-hello", nil, nil, nil, "reply-bye"])
        // `ask`: a fallback with the reply's text, and `why` names the reply.
        let guide = TestGuide.shipped
        let hello = guide.reply(to: "hello is anyone there")
        #expect(hello.kind == .fallback && hello.blocks == guide.messages.blocks("reply-hello")
                && hello.smallTalk == "reply-hello" && hello.explanation == nil && hello.candidates == [])
        #expect(guide.reply(to: "hi i cant sleep").kind == .answer)
        // Fillers (`== small-talk`) may come between phrases, never alone, and never make a question small talk.
        let filled = ["thank you so very much", "Thank you kindly.", "obrigada, thank you", "thanks i guess",
                      "ok thank you very much", "much", "so very", "thanks but i still cant sleep"]
        #expect(filled.map { talk.reply(TextNormalizer.words($0)) }
                == ["reply-thanks", "reply-thanks", "reply-thanks", "reply-thanks", "reply-thanks", nil, nil, nil])
        // Everyday ways to say thanks or OK, in a few words or another language; the last phrase says which.
        let acknowledged = ["great thx", "gracias", "ok will do", "ugh ok", "ok thank you dear", "ok good to know",
                            "perfect thank you", "ugh", "good to know how long it lasts"]
        #expect(acknowledged.map { talk.reply(TextNormalizer.words($0)) }
                == ["reply-thanks", "reply-thanks", "reply-ok", "reply-ok", "reply-thanks", "reply-ok", "reply-thanks",
                    nil, nil])
        // Asking what the guide is for gets the reply about it, not a topic ("cover" is no insurance question).
        #expect(["what can you help with", "What do you cover?", "how does this work"].map { talk.reply(TextNormalizer.words($0)) }
                == ["reply-about", "reply-about", "reply-about"])
    }

    @Test("'Tell me more' after an answer lists its related topics to pick from; before any answer, the reply's first line")
    func tellMeMore() throws {
        let guide = TestGuide.shipped
        let conversation = Conversation(guide: guide)
        let first = try #require(guide.messages.field("reply-more", "first"))
        #expect(conversation.run(lines: ["more"]).1.last == .say([.paragraph(first)]))
        let (state, _) = conversation.run(lines: ["why cant i sleep"])
        let sleep = try #require(guide.bundle.topic("sleep"))
        let related = sleep.see.compactMap(guide.bundle.topic)
        #expect(!related.isEmpty)
        let (listing, effects) = conversation.reduce(state, .lineEntered("Tell me more?"))
        #expect(effects == [.say(guide.messages.blocks("reply-more") + [.choices(related.map(\.title))])])
        #expect(listing.mode == .choosing(related.map { .topic($0.id) }) && listing.lastTopic == "sleep")
        #expect(conversation.reduce(listing, .lineEntered("2")).0.lastTopic == related[1].id)
        // `ask` has no last answer: the reply's first line.
        #expect(guide.reply(to: "tell me more").blocks == [.paragraph(first)])
    }

    @Test("A vague follow-up ('so what do i do') right after an answer offers that answer's related topics; a question about something else falls back")
    func vagueFollowUp() throws {
        let guide = TestGuide.shipped
        let conversation = Conversation(guide: guide)
        let (state, _) = conversation.run(lines: ["how bad can withdrawal get"])
        let lastTopic = try #require(state.lastTopic)
        let severity = try #require(guide.bundle.topic(lastTopic))
        let related = severity.see.compactMap(guide.bundle.topic)
        let (listing, effects) = conversation.reduce(state, .lineEntered("so what do i do"))
        #expect(effects == [.say(guide.messages.blocks("vague-follow-up") + [.choices(related.map(\.title))])])
        #expect(listing.mode == .choosing(related.map { .topic($0.id) }))
        #expect(listing.lastExplanation?.reason == .vagueFollowUp && listing.lastExplanation?.context == severity.id)
        // Alone, or after nothing, the same words fall back; so does a question with a word no topic uses.
        #expect(guide.answer("so what do i do").explanation?.reason == .onlyCommonWords)
        let (weather, _) = conversation.reduce(state, .lineEntered("whats the weather tomorrow"))
        #expect(weather.mode == .ready && weather.lastExplanation?.reason == .onlyCommonWords)
    }

    @Test("A reserved word with one slip, or without its last s, works when the word typed is no word of its own (never quit or forget)")
    func reservedWordSlips() {
        let guide = TestGuide.shipped
        let typed = ["topcis", "tpoics", "topic", "hlep", "hepl", "meun", "menue", "qiut", "exti", "bakc", "repaet",
                     "soruces", "source", "forgte", "forgt", "Topcis!",
                     // Words of their own, three-letter words with a slip, and two words: not reserved words.
                     "held", "pack", "quiz", "suit", "menus", "soss", "whyy", "wy", "topcis please", "sleep", "helo"]
        #expect(typed.map { guide.command($0) } == [
            .topics, .topics, .topics, .help, .help, .menu, .menu, nil, nil, .back, .repeat,
            .sources, .sources, nil, nil, .topics,
            nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
        ])
        #expect(Command.oneSlip(Array("tpoics"), Array("topics")) && !Command.oneSlip(Array("topics"), Array("topics")))
    }

    @Test("Right after crisis help, 'please' or 'yes' shows the choices of what to do next again; 'thanks' its reply")
    func smallTalkAfterCrisis() throws {
        let guide = TestGuide.shipped
        let conversation = Conversation(guide: guide)
        let (crisis, _) = conversation.run(lines: ["i want to die"])
        guard case .afterCrisis = crisis.mode else { Issue.record("no crisis help: \(crisis.mode)"); return }
        let labels = try #require(guide.messages.sections["after-crisis"]?.fields.map(\.value))
        for line in ["please", "yes", "hello?"] {
            let (after, effects) = conversation.reduce(crisis, .lineEntered(line))
            #expect(effects == [.say(guide.messages.blocks("after-crisis") + [.choices(labels)])])
            #expect(after.mode == crisis.mode)
        }
        #expect(conversation.reduce(crisis, .lineEntered("thanks")).1 == [.say(guide.messages.blocks("reply-thanks"))])
    }

    @Test("The crisis screen comes before small talk: a reply phrase that is also a trigger gets crisis help")
    func crisisBeforeSmallTalk() throws {
        let folder = TestGuide.repository.appendingPathComponent("Tests/Fixtures/minimal")
        var files: [String: String] = [:]
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        where url.pathExtension == "txt" {
            files[String(url.path.dropFirst(folder.path.count + 1))] = try String(contentsOf: url, encoding: .utf8)
        }
        // A careless reply list that holds a trigger of the fixture's suicide section ("want to die").
        files["ui.txt"]! += "\n== reply-careless\nwords: i want to die\n\nCARELESS.\n"
        let result = BundleLoader.load(files: files, today: TestGuide.today)
        let bundle = try #require(result.bundle, "\(result.diagnostics)")
        let guide = Guide(bundle: bundle)
        #expect(guide.smallTalk.reply(["i", "want", "to", "die"]) == "reply-careless")
        #expect(guide.reply(to: "i want to die").kind == .crisis)
        let conversation = Conversation(guide: guide)
        let (state, effects) = conversation.run(lines: ["i want to die"])
        #expect(state.lastFinding?.category == "suicide")
        #expect(!effects.contains(.say(bundle.messages.blocks("reply-careless"))))
    }

    @Test("Nothing that fits gets the fallback, and the question is never repeated back")
    func fallback() {
        let (state, effects) = conversation.run(lines: ["zxqv plorb"])
        #expect(state.mode == .ready)
        #expect(effects == [.say([.paragraph("FALLBACK.")])])
    }

    @Test("A flow runs from content: choices, back, a jump to a topic that ends it")
    func flow() {
        var (state, effects) = conversation.run(lines: ["start"])
        #expect(state.mode == .inFlow)
        #expect(state.flow == Conversation.FlowPosition(flow: "tour", node: "one", trail: []))
        #expect(effects == [.say([.heading("The tour")] + Self.nodeOne)])
        #expect(state.lastSources == ["SRC-A"])

        (state, effects) = conversation.reduce(state, .lineEntered("1"))
        #expect(state.flow == Conversation.FlowPosition(flow: "tour", node: "two", trail: ["one"]))
        #expect(effects == [.say(Self.nodeTwo)])

        (state, effects) = conversation.reduce(state, .lineEntered("back"))
        #expect(state.flow == Conversation.FlowPosition(flow: "tour", node: "one", trail: []))
        #expect(effects == [.say(Self.nodeOne)])

        (state, effects) = conversation.reduce(state, .lineEntered("back"))
        #expect(effects == [.say([.paragraph("FLOW-FIRST-STEP.")] + [.choices(["Go on", "Leave"])])])

        (state, _) = conversation.reduce(state, .lineEntered("1"))
        (state, effects) = conversation.reduce(state, .lineEntered("1"))
        #expect(state.flow == nil)
        #expect(state.mode == .ready)
        #expect(state.lastTopic == "tapering")
        #expect(effects == [.say([.paragraph("Jumping."), .heading("What is a taper?"),
                                  .paragraph("A taper lowers a dose slowly, with a prescriber.")])])
    }

    @Test("A question inside a flow is answered, and the flow waits with its choices")
    func questionInsideFlow() {
        let (state, effects) = conversation.run(lines: ["start", "cant sleep"])
        #expect(state.mode == .inFlow)
        #expect(state.flow?.node == "one")
        #expect(effects == [.say(Self.sleepTopic + [.paragraph("FLOW-RESUME."), .choices(["Go on", "Leave"])])])
        let (next, nextEffects) = conversation.reduce(state, .lineEntered("1"))
        #expect(next.flow?.node == "two")
        #expect(nextEffects == [.say(Self.nodeTwo)])
    }

    @Test("Leaving a flow by its end choice")
    func flowEnd() {
        let (state, effects) = conversation.run(lines: ["tour", "2"])
        #expect(state.flow == nil)
        #expect(state.mode == .ready)
        #expect(effects == [.say([.paragraph("FLOW-END.")])])
    }

    @Test("After a crisis, 'no' keeps help one word away, and quitting repeats the crisis line")
    func afterCrisis() {
        var (state, effects) = conversation.run(lines: ["i want to die"])
        #expect(state.mode == .afterCrisis(Self.afterCrisisPicks))
        #expect(state.crisisShown)
        #expect(effects == [.say([.heading("Thoughts of suicide"), .paragraph("Call or text 988.")] + Self.afterCrisis)])

        (state, effects) = conversation.reduce(state, .lineEntered("You misunderstood!"))
        #expect(state.mode == .ready)
        #expect(effects == [.say([.paragraph("CRISIS-DISMISSED.")])])

        (state, effects) = conversation.reduce(state, .lineEntered("quit"))
        #expect(state.mode == .ended)
        #expect(effects == [.say([.paragraph("GOODBYE-AFTER-CRISIS.")]), .exit(0)])
    }

    @Test("Picking 'numbers again' after a crisis shows the sos guidance")
    func crisisPicks() {
        let (state, effects) = conversation.run(lines: ["i want to die", "1"])
        #expect(state.mode == .afterCrisis(Self.afterCrisisPicks))
        #expect(effects == [.say([.heading("Emergency help"), .paragraph("Call 911.")] + Self.afterCrisis)])
        let (carried, carriedEffects) = conversation.reduce(state, .lineEntered("2"))
        #expect(carried.mode == .choosing(Self.menuPicks))
        #expect(carriedEffects == [.say(Self.menu)])
    }

    @Test("Figures of speech and questions about danger are not crises")
    func notCrises() {
        for line in ["I'm dying to know how long withdrawal lasts", "withdrawal timeline"] {
            let (state, _) = conversation.run(lines: [line])
            #expect(state.crisisShown == false, "\(line)")
            #expect(state.lastTopic == "timeline", "\(line)")
        }
    }

    @Test("sources, repeat, why and forget")
    func utilityWords() {
        let (answered, _) = conversation.run(lines: ["insomnia"])
        #expect(conversation.reduce(answered, .lineEntered("sources")).1
            == [.say([.paragraph("SOURCES."), .bullets(["SRC-A: Source A. Publisher A. 2025. https://example.org/a"])])])
        #expect(conversation.reduce(answered, .lineEntered("repeat")).1 == [.say(Self.sleepTopic)])
        let why = conversation.reduce(answered, .lineEntered("why")).1
        #expect(why == [.say([.paragraph("WHY."), .bullets(["matched: insomnia", "scores: sleep 100%", "decision: alone"])])])
        // `why` names the rule of every kind of decision: a close call, and nothing known.
        let (close, _) = conversation.run(lines: ["insomnia duration"])
        #expect(conversation.reduce(close, .lineEntered("why")).1 == [.say([.paragraph("WHY."), .bullets([
            "matched: insomnia", "scores: sleep 54%, timeline 46%", "decision: close"])])])
        let (nothing, _) = conversation.run(lines: ["zxqv"])
        #expect(conversation.reduce(nothing, .lineEntered("why")).1 == [.say([.paragraph("WHY."), .bullets([
            "decision: unknown"])])])
        #expect(conversation.reduce(answered, .lineEntered("forget")).1 == [.forgetHistory])
        #expect(conversation.reduce(answered, .historyForgotten(erased: true)).1 == [.say([.paragraph("HISTORY-FORGOTTEN.")])])
        #expect(conversation.reduce(answered, .historyForgotten(erased: false)).1 == [.say([.paragraph("HISTORY-ERROR.")])])
        let (fresh, _) = conversation.run([.started])
        #expect(conversation.reduce(fresh, .lineEntered("sources")).1 == [.say([.paragraph("NO-SOURCES.")])])
        #expect(conversation.reduce(fresh, .lineEntered("why")).1 == [.say([.paragraph("WHY-NOTHING.")])])
    }

    @Test("Empty lines, control characters and very long lines get a clear answer")
    func badInput() {
        #expect(conversation.run(lines: ["   "]).1 == [.say([.paragraph("EMPTY.")])])
        #expect(conversation.run(lines: ["\u{1B}[31m\u{7}\u{0}"]).1 == [.say([.paragraph("EMPTY.")])])
        let long = String(repeating: "sleep ", count: 200_000)
        let (state, effects) = conversation.run(lines: [long])
        #expect(state.lastTopic == "sleep")
        #expect(effects == [.say([.paragraph("LONG-LINE.")] + Self.sleepTopic)])
        let crisisAtEnd = String(repeating: "word ", count: 200_000) + "i want to die"
        #expect(conversation.run(lines: [crisisAtEnd]).0.crisisShown)
    }

    @Test("Ctrl-C keeps the guide going and leaves the state as it was")
    func interrupted() {
        let (before, _) = conversation.run(lines: ["start"])
        let (after, effects) = conversation.reduce(before, .interrupted)
        #expect(after == before)
        #expect(effects == [.say([.paragraph("INTERRUPTED.")])])
    }
}
