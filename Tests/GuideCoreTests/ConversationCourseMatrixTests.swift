import GuideContent
import GuideCore
import Testing

/// Every state of an education session, reached through legal events, against crisis lines, the reserved words,
/// the session's own words and end of input.
@Suite("Conversation: every session state against crisis lines, reserved words and session words")
struct ConversationCourseMatrixTests {
    let conversation = Conversation(guide: TestGuide.course, today: TestGuide.today)

    /// A state and the lines that reach it after the session starts.
    struct Reach: CustomTestStringConvertible, Sendable {
        var name: String
        var lines: [String]
        var mode: Conversation.Mode
        var extra: [Conversation.Event] = []
        var testDescription: String { name }
    }

    static let reaches: [Reach] = [
        Reach(name: "session opening", lines: [], mode: .inStep),
        Reach(name: "on a step", lines: ["go 2"], mode: .inStep),
        Reach(name: "on the last step", lines: ["go 3", "next"], mode: .inStep),
        Reach(name: "agenda", lines: ["next", "agenda"], mode: .inStep),
        Reach(name: "after a question in between", lines: ["next", "insomnia"], mode: .inStep),
        Reach(name: "after a note", lines: ["next", "note my question"], mode: .inStep),
        Reach(name: "quiz before, first question", lines: ["quiz"], mode: .inQuiz),
        Reach(name: "quiz before, second question", lines: ["quiz", "1"], mode: .inQuiz),
        Reach(name: "quiz after, last question", lines: ["next", "quiz", "1", "2", "2", "1"], mode: .inQuiz),
        Reach(name: "after the quiz", lines: ["quiz", "1", "2", "2", "1", "1"], mode: .inStep),
        Reach(name: "did you mean, inside the quiz", lines: ["quiz", "insomnia duration"],
              mode: .choosing([.topic("sleep"), .topic("timeline")])),
        Reach(name: "a flow inside the session", lines: ["next", "visit"], mode: .inFlow),
        Reach(name: "the menu inside the session", lines: ["next", "menu"], mode: .choosing([.flow("tour"), .topicList])),
        Reach(name: "after a crisis on a step", lines: ["next", "i want to die"], mode: .afterCrisis([.sos, .carryOn])),
        Reach(name: "after a crisis in the quiz", lines: ["quiz", "i want to die"], mode: .afterCrisis([.sos, .carryOn])),
        Reach(name: "after a handout could not be written", lines: ["next", "handout x.html"], mode: .inStep,
              extra: [.handoutFailed(path: "x.html", reason: "No such file or directory")]),
        Reach(name: "after reset", lines: ["quiz", "1", "note mine", "reset"], mode: .inStep),
        Reach(name: "ended", lines: ["quit"], mode: .ended),
    ]

    func reach(_ reach: Reach) -> Conversation.State {
        conversation.run([.sessionStarted] + reach.lines.map { .lineEntered($0) } + reach.extra).0
    }

    @Test("Each session state is reached through legal events", arguments: reaches)
    func reached(_ reach: Reach) {
        let state = self.reach(reach)
        #expect(state.mode == reach.mode)
        if reach.mode != .ended { #expect(state.course != nil) }
    }

    @Test("A crisis line gets emergency guidance first, from every session state, and the session is kept",
          arguments: reaches)
    func crisisEverywhere(_ reach: Reach) {
        let before = self.reach(reach)
        let lines = ["i want to die", "  I TOOK ALL MY PILLS!!", "my friend wont wake up", "1 i want to die",
                     "note i want to die", "handout i want to die.html", "go i want to die", "next i took all my pills"]
        for line in lines {
            let (after, effects) = conversation.reduce(before, .lineEntered(line))
            if reach.mode == .ended {
                #expect(effects == [])
                continue
            }
            guard case .say(let blocks) = effects.first, case .heading(let title) = blocks.first else {
                Issue.record("no crisis response for \(line) in \(reach.name): \(effects)")
                continue
            }
            #expect(["Thoughts of suicide", "Overdose", "Someone else"].contains(title), "\(line)")
            #expect(effects.count == 1, "\(line): nothing written, no note kept")
            #expect(after.crisisShown)
            #expect(after.mode == .afterCrisis([.sos, .carryOn]))
            #expect(after.course == before.course, "\(line) in \(reach.name)")
        }
    }

    @Test("Reserved words work in every session state", arguments: reaches)
    func reservedWords(_ reach: Reach) {
        let before = self.reach(reach)
        for command in Command.allCases {
            let (after, effects) = conversation.reduce(before, .lineEntered(command.rawValue))
            if reach.mode == .ended {
                #expect(effects == [], "\(command)")
                continue
            }
            switch command {
            case .help:
                #expect(effects == [.say([.paragraph("HELP."), .paragraph("SESSION-HELP.")])])
                #expect(after.mode == before.mode)
            case .topics:
                #expect(after.mode == .choosing([.topic("sleep"), .topic("tapering"), .topic("timeline")]))
            case .menu:
                #expect(after.mode == .choosing([.flow("tour"), .topicList]))
                #expect(after.flow == nil)
            case .back, .repeat, .why:
                #expect(effects.count == 1, "\(command)")
            case .sources:
                #expect(effects.count == 1)
                #expect(after.lastShown == before.lastShown)
            case .sos:
                #expect(effects == [.say([.heading("Emergency help"), .paragraph("Call 911."), .paragraph("AFTER-CRISIS."),
                                          .choices(["Numbers again", "Go on"])])])
                #expect(after.mode == .afterCrisis([.sos, .carryOn]))
            case .quit:
                #expect(effects.last == .exit(0))
                #expect(after.mode == .ended)
            case .forget:
                #expect(effects.last == .forgetHistory)
            }
            // No reserved word loses what the session holds (`back` may cover one more step).
            if command != .quit {
                #expect(after.course?.covered.isSuperset(of: before.course?.covered ?? []) == true, "\(command)")
                #expect(after.course?.notes == before.course?.notes, "\(command)")
                #expect(after.course?.scoreBefore == before.course?.scoreBefore, "\(command)")
            }
        }
        #expect(conversation.reduce(before, .lineEntered("  EXIT. ")).1.last == (reach.mode == .ended ? nil : .exit(0)))
    }

    @Test("reset from every session state leaves exactly a fresh session, and asks the terminal to forget too",
          arguments: reaches)
    func resetEverywhere(_ reach: Reach) {
        let before = self.reach(reach)
        let (after, effects) = conversation.reduce(before, .lineEntered("reset"))
        if reach.mode == .ended {
            #expect(effects == [])
            return
        }
        let fresh = conversation.run([.sessionStarted]).0
        var expected = fresh
        expected.lastShown = []  // nothing of the last person for `repeat`; on the opening it shows the agenda
        #expect(after == expected)
        #expect(effects == [.say([.paragraph("RESET.")] + fresh.lastShown), .reset])
    }

    @Test("After a transcript started, reset says it is closed")
    func resetClosesTranscript() {
        let (before, _) = conversation.run([.transcriptStarted(path: "/tmp/log.txt"), .sessionStarted])
        #expect(before.transcript == "/tmp/log.txt")
        let (after, effects) = conversation.reduce(before, .lineEntered("reset"))
        #expect(after.transcript == nil)
        guard case .say(let blocks) = effects.first else { return }
        #expect(Array(blocks.prefix(2)) == [.paragraph("RESET."), .paragraph("TRANSCRIPT-STOPPED /tmp/log.txt.")])
        #expect(effects.last == .reset)
    }

    @Test("End of input ends the session with exit 0 from every state", arguments: reaches)
    func endOfInput(_ reach: Reach) {
        let before = self.reach(reach)
        let (after, effects) = conversation.reduce(before, .endOfInput)
        #expect(after.mode == .ended)
        if reach.mode != .ended {
            let goodbye = before.crisisShown ? "GOODBYE-AFTER-CRISIS." : "GOODBYE."
            #expect(effects == [.say([.paragraph(goodbye)]), .exit(0)])
        }
    }
}
