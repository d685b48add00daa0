import GuideContent

/// What a typed line does: the crisis screen first, then reserved words, flow words, numbers, and questions.
extension Conversation {
    func handleLine(_ raw: String, _ state: inout State, _ output: inout Output) {
        let text = TextNormalizer.sanitize(raw)

        // 1. Safety before everything, in every state (`Guide.screening`, as `ask` does). A section with `when:
        // unmatched` (a dose named, nothing asked about it) answers only a question no topic fits: the line goes
        // on as any other. A dose section leaves a line about another medicine to the matcher.
        var unmatched: (SafetyScreen.Finding, Topic)?
        switch guide.screening(text) {
        case .emergency(let category, let finding):
            state.lastFinding = finding
            state.lastExplanation = nil
            showCrisis(category, &state, &output)
            return
        case .topic(let topic, let finding, let also, let note):
            state.lastFinding = finding
            state.lastExplanation = nil
            showTopic(topic, &state, &output, also: also, note: note)
            return
        case .unlessMatched(let topic, let finding, _):
            unmatched = (finding, topic)
        case .pass:
            break
        }
        if text.isEmpty {
            output.say(messages.blocks("empty"), remember: false)
            return
        }
        // In an education session, its words and answers come next (reserved words keep working).
        if state.course != nil && handleCourseLine(text, &state, &output) { return }
        // 2. Reserved words work everywhere.
        if let command = guide.command(text) {
            run(command, &state, &output)
            return
        }
        // 3. Words that start a flow, and topic ids typed as they are.
        let words = TextNormalizer.words(text)
        let phrase = words.joined(separator: " ")
        if let flow = bundle.flows.values.first(where: { $0.words.contains(phrase) }) {
            startFlow(flow.id, &state, &output)
            return
        }
        if let topic = bundle.topic(phrase.replacingSpaces()) ?? bundle.topic(text.lowercased()) {
            showTopic(topic, &state, &output)
            return
        }
        // 4. A number, or a choice's label, picks from the list on screen. With no list on screen, a number
        // ("the first one") is not a question: the guide says so, when ui.txt has the words for it.
        if state.mode != .ready, let number = phrases.number(in: words) ?? labelPick(phrase, state) {
            pick(number, &state, &output)
            return
        }
        if state.mode == .ready, phrases.number(in: words) != nil, messages.sections["no-list"] != nil {
            output.say(messages.blocks("no-list"), remember: false)
            return
        }
        // 5. After a crisis response, "no" does not hide help.
        if case .afterCrisis = state.mode, phrases.dismissals.contains(phrase) {
            output.say(messages.blocks("crisis-dismissed"))
            leaveList(&state)
            resumeFlowIfAny(&state, &output)
            return
        }
        // 6. Small talk typed alone ("thanks", "hi", "hello is anyone there") gets a short reply, never a topic.
        if let key = guide.smallTalk.reply(words) {
            // Right after crisis help, "please" or "yes" is no small talk: the choices of what to do next, again.
            if case .afterCrisis = state.mode, messages.field(key, "after-crisis") == "choices" {
                output.say(messages.blocks("after-crisis") + [.choices(list("after-crisis").1)], remember: false)
                return
            }
            if messages.field(key, "then") == ContentRequirements.replyThenRelated {
                showRelated(key, &state, &output)
            } else {
                output.say(messages.blocks(key), remember: false)
            }
            return
        }
        // 7. A question.
        answerQuestion(text, &state, &output, unmatched: unmatched)
    }

    /// A reply with `then: related` ("tell me more"): its text and the related topics of the topic just shown, as
    /// a numbered list to pick from; before any topic (or for one with none), the reply's `first:` line.
    func showRelated(_ key: String, _ state: inout State, _ output: inout Output) {
        let related = relatedTopics(state)
        guard !related.isEmpty else {
            output.say([.paragraph(messages.field(key, "first") ?? "")], remember: false)
            return
        }
        output.say(messages.blocks(key) + [.choices(related.map(\.title))])
        state.mode = .choosing(related.map { .topic($0.id) })
    }

    func run(_ command: Command, _ state: inout State, _ output: inout Output) {
        switch command {
        case .help:
            output.say(messages.blocks("help"))
        case .topics:
            let picks = bundle.shelf.ids.map { Pick.topic($0) }
            output.say(messages.blocks("topics") + [.choices(bundle.shelf.titles)])
            state.mode = .choosing(picks)
        case .menu:
            state.flow = nil
            showMenu(&state, &output, welcome: false)
        case .back:
            goBack(&state, &output)
        case .repeat:
            output.say(state.lastShown.isEmpty ? messages.blocks("menu") : state.lastShown)
        case .sources:
            let citations = guide.citationBlocks(state.lastSources)
            if citations.isEmpty {
                output.say(messages.blocks("no-sources"), remember: false)
            } else {
                output.say(messages.blocks("sources") + citations, remember: false)
            }
        case .sos:
            showCrisis(bundle.sos, &state, &output)
        case .quit:
            quit(&state, &output)
        case .why:
            if let finding = state.lastFinding {
                output.say(explain(finding), remember: false)
            } else {
                output.say(explain(state.lastExplanation), remember: false)
            }
        case .forget:
            output.extra.append(.forgetHistory)
        }
    }

    func quit(_ state: inout State, _ output: inout Output) {
        output.say(messages.blocks(state.crisisShown ? "goodbye-after-crisis" : "goodbye"), remember: false)
        output.extra.append(.exit(0))
        state.mode = .ended
        state.flow = nil
    }

    /// A numbered list from `ui.txt`: each field is a choice, its key says what it picks.
    func list(_ key: String) -> (picks: [Pick], labels: [String]) {
        let fields = messages.sections[key]?.fields ?? []
        let picks: [Pick] = fields.map { field in
            switch field.key {
            case "topics": return .topicList
            case "sos": return .sos
            case "carry-on": return .carryOn
            default: return .flow(field.key)
            }
        }
        return (picks, fields.map(\.value))
    }

    func showMenu(_ state: inout State, _ output: inout Output, welcome: Bool) {
        let (picks, labels) = list("menu")
        output.say((welcome ? messages.blocks("welcome") : []) + messages.blocks("menu") + [.choices(labels)])
        state.mode = .choosing(picks)
    }

    func showCrisis(_ category: SafetyCategory, _ state: inout State, _ output: inout Output) {
        let (picks, labels) = list("after-crisis")
        output.say(guide.crisisReply(category).blocks + messages.blocks("after-crisis") + [.choices(labels)])
        output.sources = []
        state.crisisShown = true
        state.mode = .afterCrisis(picks)
    }

    func pick(_ number: Int, _ state: inout State, _ output: inout Output) {
        let options: [Pick]
        switch state.mode {
        case .choosing(let picks): options = picks
        case .afterCrisis(let picks): options = picks
        case .inFlow:
            chooseInFlow(number, &state, &output)
            return
        default:
            answerQuestion(String(number), &state, &output)
            return
        }
        guard number >= 1 && number <= options.count else {
            output.say(messages.blocks("not-a-choice", ["count": String(options.count)]), remember: false)
            return
        }
        switch options[number - 1] {
        case .topic(let id):
            showTopic(id, &state, &output)
        case .flow(let id):
            startFlow(id, &state, &output)
        case .topicList:
            run(.topics, &state, &output)
        case .sos:
            showCrisis(bundle.sos, &state, &output)
        case .carryOn:
            leaveList(&state)
            // In an education session, going on means back to the session (see `afterCourseLine`).
            if !resumeFlowIfAny(&state, &output) && state.course == nil { showMenu(&state, &output, welcome: false) }
        }
    }

    /// Leaves a numbered list: back into the flow in progress, or to the prompt.
    func leaveList(_ state: inout State) {
        state.mode = state.flow == nil ? .ready : .inFlow
    }

    /// The topic with this id, or the fallback when its file no longer reads (it changed after a start from the
    /// compiled index).
    func showTopic(_ id: String, _ state: inout State, _ output: inout Output) {
        guard let topic = bundle.topic(id) else {
            output.say(guide.fallbackReply(nil).blocks)
            leaveList(&state)
            return
        }
        showTopic(topic, &state, &output)
    }

    /// `also`: other topics the line is about, offered after the answer of a dose section (`Guide.alsoBlocks`).
    /// `note`: a dose section's text, said under the topic's title, before its text (`Guide.Screening.topic`).
    func showTopic(_ topic: Topic, _ state: inout State, _ output: inout Output, also: [String] = [],
                   note: [Block] = []) {
        output.say([.heading(topic.title)] + note + guide.topicBlocks(topic) + guide.alsoBlocks(also, after: topic))
        output.sources = topic.sources
        state.lastTopic = topic.id
        leaveList(&state)
        resumeFlowIfAny(&state, &output)
    }

    /// With `unmatched` (a finding of a `when: unmatched` section and its topic), a question the matcher falls
    /// back on gets that topic.
    func answerQuestion(_ text: String, _ state: inout State, _ output: inout Output,
                        unmatched: (SafetyScreen.Finding, Topic)? = nil) {
        if text.count > Guide.matchLimit { output.say(messages.blocks("long-line"), remember: false) }
        // A follow-up right after an answer ("how long does that last?") is read with the topic just shown.
        let reply = guide.answer(text, context: state.lastTopic)
        if reply.kind == .fallback, let (finding, topic) = unmatched {
            state.lastFinding = finding
            state.lastExplanation = nil
            showTopic(topic, &state, &output)
            return
        }
        state.lastExplanation = reply.explanation
        state.lastFinding = nil
        // "so what do i do" right after an answer: the topics that go with it, to pick from.
        let related = reply.explanation?.reason == .vagueFollowUp && messages.sections["vague-follow-up"] != nil
            ? relatedTopics(state) : []
        switch reply.kind {
        case .answer:
            showTopic(reply.id!, &state, &output)
        case .clarify:
            output.say(reply.blocks)
            state.mode = .choosing(reply.candidates.map { .topic($0) })
        case .fallback where !related.isEmpty:
            output.say(messages.blocks("vague-follow-up") + [.choices(related.map(\.title))])
            state.mode = .choosing(related.map { .topic($0.id) })
        case .fallback, .crisis:
            output.say(reply.blocks)
            leaveList(&state)
            resumeFlowIfAny(&state, &output)
        }
    }

    /// The related topics (`see:`) of the topic just shown, that the bundle has.
    func relatedTopics(_ state: State) -> [Topic] {
        (state.lastTopic.flatMap(bundle.topic)?.see ?? []).compactMap(bundle.topic)
    }

    /// What `why` says about the last question: the words and phrases that matched, synonyms and spelling read,
    /// the topic a follow-up was read with, the scores of the best topics, and the rule that decided.
    func explain(_ explanation: Matcher.Explanation?) -> [Block] {
        guard let explanation else { return messages.blocks("why-nothing") }
        var lines: [String] = []
        let why = messages.sections["why"]
        func label(_ key: String) -> String { why?.field(key) ?? key }
        if !explanation.matched.isEmpty {
            lines.append("\(label("matched")): \(explanation.matched.joined(separator: ", "))")
        }
        if !explanation.phrases.isEmpty {
            lines.append("\(label("phrases")): \(explanation.phrases.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        if !explanation.synonyms.isEmpty {
            let pairs = explanation.synonyms.map { "\($0.written) → \($0.canonical)" }
            lines.append("\(label("synonyms")): \(pairs.joined(separator: ", "))")
        }
        if !explanation.corrections.isEmpty {
            let pairs = explanation.corrections.map { "\($0.written) → \($0.canonical)" }
            lines.append("\(label("spelling")): \(pairs.joined(separator: ", "))")
        }
        if let context = explanation.context {
            lines.append("\(label("context")): \(context)")
        }
        if !explanation.top.isEmpty {
            // Scores are shares of the question's likelihood; shown as percentages.
            let scores = explanation.top.prefix(3).map { "\($0.id) \(Int(($0.score * 100).rounded()))%" }
            lines.append("\(label("scores")): \(scores.joined(separator: ", "))")
        }
        lines.append("\(label("decision")): \(reasonText(explanation.reason, why))")
        return messages.blocks("why") + [.bullets(lines)]
    }

    /// The rule behind a decision, in the words of `ui.txt`.
    func reasonText(_ reason: Matcher.Reason, _ why: Messages.Message?) -> String {
        func text(_ key: String, _ values: [String: String] = [:]) -> String {
            Messages.fill(why?.field(key) ?? key, values)
        }
        switch reason {
        case .exampleQuestion: return text("example")
        case .ahead(let ratio):
            guard ratio.isFinite else { return text("alone") }
            return text("ahead", ["ratio": ratio >= 100 ? "over 100" : Conversation.format(ratio)])
        case .close: return text("close")
        case .followUpOrOwn: return text("follow-up")
        case .vagueFollowUp: return text("vague")
        case .littleMatched(let share): return text("little", ["percent": String(Int((share * 100).rounded()))])
        case .nothingKnown: return text("unknown")
        case .onlyCommonWords: return text("common")
        case .namesOther(let word): return text("other", ["word": word])
        }
    }

    /// What `why` says after the crisis screen fired: the section and the words that started it.
    func explain(_ finding: SafetyScreen.Finding) -> [Block] {
        let why = messages.sections["why"]
        var lines = ["\(why?.field("safety") ?? "safety"): \(finding.category) (\(finding.trigger))"]
        if !finding.corrections.isEmpty {
            let pairs = finding.corrections.map { "\($0.written) → \($0.canonical)" }
            lines.append("\(why?.field("spelling") ?? "spelling"): \(pairs.joined(separator: ", "))")
        }
        return messages.blocks("why") + [.bullets(lines)]
    }

    static func format(_ score: Double) -> String {
        let hundredths = Int((score * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "-" : $0 }) }
    func trimmingDots() -> String { String(drop { $0 == "#" }.reversed().drop { $0 == "." }.reversed()) }
}
