import GuideContent
import GuideCore
import Testing

/// Every state, reached through legal events, against the words and events that must work everywhere.
@Suite("Conversation: every state against reserved words, crisis lines and end of input")
struct ConversationMatrixTests {
    let conversation = Conversation(guide: TestGuide.minimal)

    /// A state and the legal events that reach it.
    struct Reach: CustomTestStringConvertible, Sendable {
        var name: String
        var events: [Conversation.Event]
        var mode: Conversation.Mode
        var testDescription: String { name }
    }

    static let reaches: [Reach] = [
        Reach(name: "not started", events: [], mode: .notStarted),
        Reach(name: "main menu", events: [.started], mode: .choosing([.flow("tour"), .topicList])),
        Reach(name: "topic list", events: [.started, .lineEntered("topics")],
              mode: .choosing([.topic("sleep"), .topic("tapering"), .topic("timeline")])),
        Reach(name: "did you mean", events: [.started, .lineEntered("insomnia duration")],
              mode: .choosing([.topic("sleep"), .topic("timeline")])),
        Reach(name: "after an answer", events: [.started, .lineEntered("insomnia")], mode: .ready),
        Reach(name: "after the fallback", events: [.started, .lineEntered("zxqv")], mode: .ready),
        Reach(name: "flow, first node", events: [.started, .lineEntered("start")], mode: .inFlow),
        Reach(name: "flow, second node", events: [.started, .lineEntered("start"), .lineEntered("1")], mode: .inFlow),
        Reach(name: "flow, after a question in between",
              events: [.started, .lineEntered("tour"), .lineEntered("insomnia")], mode: .inFlow),
        Reach(name: "did you mean inside a flow",
              events: [.started, .lineEntered("tour"), .lineEntered("insomnia duration")],
              mode: .choosing([.topic("sleep"), .topic("timeline")])),
        Reach(name: "after a crisis", events: [.started, .lineEntered("i want to die")], mode: .afterCrisis([.sos, .carryOn])),
        Reach(name: "after sos", events: [.started, .lineEntered("sos")], mode: .afterCrisis([.sos, .carryOn])),
        Reach(name: "ended", events: [.started, .lineEntered("quit")], mode: .ended),
    ]

    @Test("Each state is reached through legal events", arguments: reaches)
    func reached(_ reach: Reach) {
        #expect(conversation.run(reach.events).0.mode == reach.mode)
    }

    @Test("A crisis line is answered with emergency guidance first, from every state", arguments: reaches)
    func crisisEverywhere(_ reach: Reach) {
        let (before, _) = conversation.run(reach.events)
        for line in ["i want to die", "  I TOOK ALL MY PILLS!!", "my friend wont wake up", "1 i want to die"] {
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
            #expect(after.crisisShown)
            #expect(after.mode == .afterCrisis([.sos, .carryOn]))
        }
    }

    @Test("Reserved words work in every state", arguments: reaches)
    func reservedWords(_ reach: Reach) {
        let (before, _) = conversation.run(reach.events)
        for command in Command.allCases {
            let (after, effects) = conversation.reduce(before, .lineEntered(command.rawValue))
            if reach.mode == .ended {
                #expect(effects == [], "\(command)")
                continue
            }
            switch command {
            case .help:
                #expect(effects == [.say([.paragraph("HELP.")])])
                #expect(after.mode == before.mode)
            case .topics:
                #expect(after.mode == .choosing([.topic("sleep"), .topic("tapering"), .topic("timeline")]))
            case .menu:
                #expect(after.mode == .choosing([.flow("tour"), .topicList]))
                #expect(after.flow == nil)
            case .back:
                #expect(!effects.isEmpty)
            case .repeat:
                #expect(effects == [.say(before.lastShown.isEmpty ? [.paragraph("MENU.")] : before.lastShown)])
            case .sources:
                #expect(effects.count == 1)
            case .sos:
                #expect(effects == [.say([.heading("Emergency help"), .paragraph("Call 911."), .paragraph("AFTER-CRISIS."),
                                          .choices(["Numbers again", "Go on"])])])
                #expect(after.mode == .afterCrisis([.sos, .carryOn]))
            case .quit:
                #expect(effects.last == .exit(0))
                #expect(after.mode == .ended)
            case .why:
                #expect(effects.count == 1)
            case .forget:
                #expect(effects.last == .forgetHistory)
            }
        }
        // Case, spaces, punctuation and "exit" as typed by people.
        #expect(conversation.reduce(before, .lineEntered("  EXIT. ")).1.last == (reach.mode == .ended ? nil : .exit(0)))
    }

    @Test("End of input ends the guide with exit 0 from every state", arguments: reaches)
    func endOfInput(_ reach: Reach) {
        let (before, _) = conversation.run(reach.events)
        let (after, effects) = conversation.reduce(before, .endOfInput)
        #expect(after.mode == .ended)
        if reach.mode == .ended {
            #expect(effects == [])
        } else {
            let goodbye = before.crisisShown ? "GOODBYE-AFTER-CRISIS." : "GOODBYE."
            #expect(effects == [.say([.paragraph(goodbye)]), .exit(0)])
        }
    }
}
