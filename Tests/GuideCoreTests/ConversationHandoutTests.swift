import GuideContent
import GuideCore
import Testing

/// `note`, `handout` and what the handout holds, on the course fixture.
@Suite("Conversation: notes and the handout")
struct ConversationHandoutTests {
    let conversation = Conversation(guide: TestGuide.course, today: TestGuide.today)

    @Test("note keeps the person's words for the handout and never says them back")
    func note() {
        let words = "ask about **cutting** <sleep>"
        let (state, effects) = conversation.runSession(["next", "note   \(words)  "])
        #expect(effects == [.say([.paragraph("NOTE-ADDED 1.")])])
        #expect(state.course?.notes == [words])
        #expect(state.course?.step == 1)
        #expect(state.mode == .inStep)
        let (empty, emptyEffects) = conversation.reduce(state, .lineEntered("Note:"))
        #expect(emptyEffects == [.say([.paragraph("NOTE-EMPTY.")])])
        #expect(empty.course?.notes == [words])
    }

    @Test("A note taken during the quiz keeps the question on screen")
    func noteInQuiz() {
        let (state, effects) = conversation.runSession(["quiz", "note my question"])
        #expect(effects == [.say([.paragraph("NOTE-ADDED 1."), .heading("Q1/5"),
                                  .paragraph("Sleep is hard in withdrawal."), .choices(["True", "False"])])])
        #expect(state.mode == .inQuiz)
    }

    @Test("The guide's questions are collected from steps and flow nodes with 'collect: questions', once each")
    func collected() {
        let (state, _) = conversation.runSession(["go 2", "visit", "go 2"])
        #expect(state.course?.suggested == ["Question A?", "Question B?", "Question C?"])
    }

    @Test("handout asks the terminal to write the whole page: steps, scores, questions, help, sources")
    func handout() {
        let (state, effects) = conversation.runSession(
            ["quiz", "1", "2", "2", "1", "1", "go 2", "visit", "note Mine & <b>", "go 3", "handout visit.md"])
        #expect(state.mode == .inStep)
        let expected = Handout(language: "xx", title: "The course", parts: [
            .content([.paragraph("Made 2026-11-27"), .paragraph("HANDOUT-DISCLAIMER.")]),
            .content([.heading("Covered"), .bullets(["**Second step.** TWO-SUMMARY.", "**Third step.** THREE-SUMMARY."])]),
            .content([.heading("Quiz"), .bullets(["Before 5/5"])]),
            .content([.heading("Questions"), .paragraph("**Suggested**"),
                      .bullets(["Question A?", "Question B?", "Question C?"]), .paragraph("**Own words**")]),
            .ownWords(["Mine & <b>"]),
            .content([.heading("Help"), .paragraph("**Help Line**"), .bullets(["Call: 555-0100", "Hours: Always"])]),
            .content([.heading("Sources"), .bullets(["SRC-B: Source B. 2024",
                                                     "SRC-A: Source A. Publisher A. 2025. https://example.org/a"])]),
        ])
        #expect(effects == [.writeHandout(expected, path: "visit.md", format: .markdown)])
    }

    @Test("A handout before anything was done says so; with no file name it is a page to print")
    func emptyHandout() {
        let (_, effects) = conversation.runSession(["handout"])
        let expected = Handout(language: "xx", title: "The course", parts: [
            .content([.paragraph("Made 2026-11-27"), .paragraph("HANDOUT-DISCLAIMER.")]),
            .content([.heading("Covered"), .paragraph("None covered")]),
            .content([.heading("Questions"), .paragraph("No questions")]),
            .content([.heading("Help"), .paragraph("**Help Line**"), .bullets(["Call: 555-0100", "Hours: Always"])]),
        ])
        #expect(effects == [.writeHandout(expected, path: Handout.defaultPath, format: .html)])
    }

    @Test("A file name without .html, .md or .txt is refused and nothing is written")
    func badFormat() {
        let (before, _) = conversation.runSession(["next"])
        let (after, effects) = conversation.reduce(before, .lineEntered("handout notes.pdf"))
        #expect(effects == [.say([.paragraph("FORMAT.")])])
        #expect(after == before)
    }

    @Test("The outcome of writing is said; a failure loses nothing from the session")
    func outcomes() {
        let (before, _) = conversation.runSession(["next", "note keep me"])
        let (written, writtenEffects) = conversation.reduce(before, .handoutWritten(path: "/home/x/visit.html"))
        #expect(writtenEffects == [.say([.paragraph("WRITTEN /home/x/visit.html.")])])
        #expect(written == before)
        let (failed, failedEffects) = conversation.reduce(
            before, .handoutFailed(path: "/nope/visit.html", reason: "No such file or directory"))
        #expect(failedEffects == [.say([.paragraph("ERROR /nope/visit.html (No such file or directory).")])])
        #expect(failed == before)
    }
}
