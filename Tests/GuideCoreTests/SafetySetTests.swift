import Foundation
import GuideContent
import GuideCore
import Testing

/// The safety test set in `Tests/SafetySet`: crisis lines of every category, lines that are not crises
/// (questions about danger, figures of speech, taper talk), and requests to change a dose.
@Suite("Safety test set")
struct SafetySetTests {
    static let folder = TestGuide.repository.appendingPathComponent("Tests/SafetySet")
    static let guide = TestGuide.shipped

    /// The lines of a set file, without comments and blank lines.
    static func lines(_ name: String) -> [String] {
        let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    @Test("Every crisis line is caught, whatever the category")
    func crisisLines() {
        let lines = Self.lines("crisis.txt").map { $0.split(separator: "\t", maxSplits: 1).map(String.init) }
        #expect(lines.count >= 150)
        let missed = lines.filter { Self.guide.reply(to: $0.last ?? "").kind != .crisis }
        print("crisis lines caught: \(lines.count - missed.count) of \(lines.count)")
        #expect(missed.map { $0.joined(separator: " | ") } == [])
    }

    @Test("No question about danger, figure of speech or taper talk is taken for a crisis")
    func notCrisisLines() {
        let lines = Self.lines("not-crisis.txt")
        #expect(lines.count >= 100)
        let flagged = lines.filter { Self.guide.reply(to: $0).kind == .crisis }
        print("non-crisis lines left alone: \(lines.count - flagged.count) of \(lines.count)")
        #expect(flagged == [])
    }

    @Test("Every request to change a dose gets the prescriber answer, or the dose note before a topic, and no milligram amount")
    func doseRequests() {
        let lines = Self.lines("dose-requests.txt")
        #expect(lines.count >= 40)
        let wrong = lines.filter { line in
            let reply = Self.guide.reply(to: line)
            let text = reply.blocks.plainText
            let hasAmount = text.range(of: #"[0-9]\s*(mg|milligram)"#, options: [.regularExpression, .caseInsensitive]) != nil
            // The dose section's note, first: "only your prescriber can decide on a dose change".
            let note = Self.guide.bundle.safety.first { $0.id == reply.finding?.category && $0.answer != nil }?.response
            let noted = note.map { !$0.isEmpty && reply.blocks.starts(with: $0) } ?? false
            return reply.kind != .answer || hasAmount
                || !(["dosing-questions", "talk-to-prescriber"].contains(reply.id ?? "") || noted)
        }
        print("dose requests answered without a dose: \(lines.count - wrong.count) of \(lines.count)")
        #expect(wrong == [])
    }

    /// The topic a line is answered with, or the kind of reply when it is not an answer.
    static func answered(_ line: String) -> String? {
        let reply = guide.reply(to: line)
        return reply.kind == .answer ? reply.id : reply.kind.rawValue
    }

    @Test("A dose only named gets the topic asked about; named alone, or in a request to change it, the dosing answer")
    func doseMentions() {
        #expect(["been on 3mg for ten years, how rough will coming off be", "0.25mg lol", "2mg?",
                 "should i cut to 1.5mg", "how fast can i get off 3mg"].map(Self.answered)
                == ["severity", "dosing-questions", "dosing-questions", "dosing-questions", "dosing-questions"])
        // In a conversation too: a line no topic fits gets the dosing answer from the safety section (which `why`
        // names), a question gets its topic from the matcher.
        let conversation = Conversation(guide: Self.guide)
        var (state, _) = conversation.run(lines: ["0.25mg lol"])
        #expect(state.lastTopic == "dosing-questions" && state.lastFinding?.category == "dose-mention")
        (state, _) = conversation.run(lines: ["been on 3mg for ten years, how rough will coming off be"])
        #expect(state.lastTopic == "severity" && state.lastFinding == nil && state.lastExplanation != nil)
    }

    @Test("The answer to a dose question offers the other topics the matcher finds in the same line, never its own")
    func doseAnswersOfferOtherTopics() {
        let guide = Self.guide
        let sleepy = guide.reply(to: "my sleep is awful should i go up a dose")
        let also = guide.bundle.messages.blocks("also-about", ["topics": "sleep"])
        #expect(!also.isEmpty)
        #expect(sleepy.kind == .answer && sleepy.id == "dosing-questions" && sleepy.finding?.category == "dose-change")
        #expect(sleepy.candidates == ["sleep"])
        let plain = guide.reply(to: "how much klonopin should i take")
        #expect(sleepy.blocks == plain.blocks + also)
        // A topic the dosing answer already lists as related is a candidate, but not named again after it.
        let more = guide.reply(to: "can i take more klonopin for my seizures")
        #expect(more.id == "dosing-questions" && more.candidates == ["misuse"] && more.blocks == plain.blocks)
        // A dose question the matcher also answers with the dosing topic offers nothing more.
        #expect(plain.id == "dosing-questions" && plain.candidates == [])
        // In a conversation: the same answer, the offer after it, and the offered id opens its topic.
        let conversation = Conversation(guide: guide)
        let (_, effects) = conversation.run(lines: ["my sleep is awful should i go up a dose"])
        #expect(effects == [.say([.heading(plain.title ?? "")] + plain.blocks + also)])
        let (state, _) = conversation.run(lines: ["my sleep is awful should i go up a dose", "sleep"])
        #expect(state.lastTopic == "sleep")
    }

    @Test("A question about overdosing with words that say the person means it gets crisis help; without them, the topic")
    func overdoseWithIntent() {
        let lines = ["how many klonopin to overdose? asking for me", "can you overdose on klonopin? i want to do it",
                     "how many klonopin to overdose", "can you overdose on klonopin? i want to know"]
        #expect(lines.map { Self.guide.reply(to: $0).kind } == [.crisis, .crisis, .answer, .answer])
    }

    @Test("The second look never reads a line made only of calm small talk; a farewell with thanks still gets help")
    func calmSmallTalk() {
        #expect(["thank you very much", "ok thank you very much", "hello is anyone there"].map { Self.guide.reply(to: $0).kind }
                == [.fallback, .fallback, .fallback])
        #expect(["thank you for everything. bye", "thank you so much for everything, goodbye"].map { Self.guide.reply(to: $0).id }
                == ["suicide", "suicide"])
    }

    @Test("A dose question the guide answers with one of the dose section's topics gets the section's note, then that topic, and the dosing answer offered")
    func doseQuestionsWithTheirOwnTopic() throws {
        let guide = Self.guide
        let section = try #require(guide.bundle.safety.first { $0.id == "dose-change" })
        #expect(section.topics.contains("taper-symptoms") && section.topics.contains("stopping-suddenly"))
        let taperSymptoms = try #require(guide.bundle.topic("taper-symptoms"))
        let hold = guide.reply(to: "symptoms getting worse mid taper, should i hold")
        #expect(hold.kind == .answer && hold.id == "taper-symptoms" && hold.finding?.category == "dose-change")
        #expect(hold.candidates == ["dosing-questions"])
        let offer = guide.alsoBlocks(["dosing-questions"], after: taperSymptoms)
        #expect(hold.blocks == section.response + guide.topicBlocks(taperSymptoms) + offer)
        // The pace of a taper is never given this way: its guideline ranges would read as an answer.
        #expect(!section.topics.contains("taper-rate"))
        #expect(["should i cut by 10 or 25 percent", "should i do 10 percent", "can i try 25 percent"]
                    .map { guide.reply(to: $0).id } == ["dosing-questions", "dosing-questions", "dosing-questions"])
        // In a conversation: the title, the note, the topic; `why` names the dose section.
        let conversation = Conversation(guide: guide)
        let (state, effects) = conversation.run(lines: ["symptoms getting worse mid taper, should i hold"])
        #expect(effects == [.say([.heading(taperSymptoms.title)] + section.response + guide.topicBlocks(taperSymptoms) + offer)])
        #expect(state.lastTopic == "taper-symptoms" && state.lastFinding?.category == "dose-change")
        // A dose question no topic of the list answers still gets the dosing answer.
        #expect(guide.reply(to: "cant sleep should i take an extra one tonight").id == "dosing-questions")
    }

    @Test("Asking how much would be lethal, or for a dose to stop feeling, gets the suicide section, whatever the medicine")
    func lethalAmountQuestions() {
        let lines = ["how much klonopin would kill me", "how much lexapro would kill me",
                     "how many zoloft should i take so i dont have to feel anything anymore",
                     "how many klonopin should i take so i never have to feel anything again"]
        #expect(lines.map { Self.guide.reply(to: $0).id } == Array(repeating: "suicide", count: lines.count))
        #expect(lines.map { Self.guide.reply(to: $0).kind } == Array(repeating: .crisis, count: lines.count))
        // A question about withdrawal itself is not one.
        #expect(Self.guide.reply(to: "will withdrawal kill me").kind == .answer)
    }

    @Test("A dose question about a medicine the guide does not cover gets the fallback, and says why")
    func doseQuestionsAboutOtherMedicines() {
        #expect(["how much prednisone should i take", "lexapro tapering schedule", "how much klonopin should i take",
                 "how much klonopin should i take with my lexapro"].map(Self.answered)
                == ["fallback", "fallback", "dosing-questions", "dosing-questions"])
        let prednisone = Self.guide.reply(to: "how much prednisone should i take")
        #expect(prednisone.explanation?.reason == .namesOther("prednisone"))
        // Its own fallback: where to ask instead (ui.txt's fallback-other), not "try other words".
        #expect(prednisone.blocks == Self.guide.bundle.messages.blocks("fallback-other"))
        #expect(!prednisone.blocks.isEmpty && prednisone.blocks != Self.guide.bundle.messages.blocks("fallback"))
        #expect(Self.guide.reply(to: "xyzzy plugh").blocks == Self.guide.bundle.messages.blocks("fallback"))
        // In a conversation too: the dose section is set aside, and `why` shows the matcher's reason.
        let conversation = Conversation(guide: Self.guide)
        let (state, _) = conversation.run(lines: ["how much prednisone should i take"])
        #expect(state.lastFinding == nil && state.lastTopic == nil)
        #expect(state.lastExplanation?.reason == .namesOther("prednisone"))
    }

    @Test("No topic, flow step or message gives a milligram amount")
    func noAmountsAnywhere() {
        let bundle = Self.guide.bundle
        var texts = bundle.topics.map { ($0.id, $0.body.plainText) }
        for flow in bundle.flows.values { for node in flow.nodes.values { texts.append(("\(flow.id)/\(node.name)", node.body.plainText)) } }
        for category in bundle.safety + [bundle.sos] { texts.append((category.id, category.response.plainText)) }
        let withAmounts = texts.filter { $0.1.range(of: #"[0-9]\s*(mg|milligram)"#, options: [.regularExpression, .caseInsensitive]) != nil }
        #expect(withAmounts.map(\.0) == [])
    }
}
