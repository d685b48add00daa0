/// The education session: `session.txt` (the steps), `quiz.txt` (the knowledge check), the messages they need,
/// and the questions a flow node collects for the handout.
extension Loader {
    /// What `session.txt` and `quiz.txt` hold, checked against the rest of the bundle.
    struct Education {
        var course: Course?
        var quiz: [QuizItem] = []
    }

    /// Reads the session and its quiz when the bundle has a `session.txt`; both are optional together.
    mutating func loadEducation(
        topics: Set<String>, sources: Set<String>, resources: Set<String>, ui: RawDocument?, messages: Messages?
    ) -> Education {
        guard let sessionDocument = read("session.txt", required: false) else { return Education() }
        let course = parseCourse(sessionDocument, topics: topics, sources: sources, resources: resources)
        let quiz = read("quiz.txt", required: true).map { parseQuiz($0, topics: topics, sources: sources) } ?? []
        if let ui, let messages { checkSessionMessages(ui, messages) }
        return Education(course: course, quiz: quiz)
    }

    // MARK: session.txt

    mutating func parseCourse(
        _ document: RawDocument, topics: Set<String>, sources: Set<String>, resources: Set<String>
    ) -> Course? {
        let header = document.preamble
        checkFields(header, in: document, allowed: ["title", "resources"], required: ["title"], repeatable: [])
        if let stray = header.body.first {
            error("K029", "text before the first step: start a step with a line like '== what-it-is'",
                  location(document, stray.line))
        }
        let withLocal = resources.union([ContentRequirements.localResources])
        checkReferences(header, "resources", in: document, known: withLocal, code: "K023", kind: "resource",
                        fix: "use an id from resources.txt, or 'local'")
        var steps: [CourseStep] = []
        var seen: Set<String> = []
        for section in document.sections {
            guard let name = section.name, !name.isEmpty else { continue }
            if seen.contains(name) {
                error("K020", "the step '\(name)' is already defined in this file", location(document, section.line, 4))
                continue
            }
            seen.insert(name)
            checkFields(section, in: document, allowed: ["title", "summary", "sources", "see", "resources", "collect"],
                        required: ["title", "summary", "sources"], repeatable: [])
            checkReferences(section, "sources", in: document, known: sources, code: "K021", kind: "source key",
                            fix: "add it to sources.txt")
            checkReferences(section, "see", in: document, known: topics, code: "K022", kind: "topic",
                            fix: "use an id from topics/")
            checkReferences(section, "resources", in: document, known: withLocal, code: "K023", kind: "resource",
                            fix: "use an id from resources.txt, or 'local'")
            let text = body(section, in: document)
            if text.isEmpty {
                error("K016", "the step '\(name)' has no text: write it after the fields and one blank line",
                      location(document, section.line))
            }
            steps.append(CourseStep(
                id: name, title: section.field("title")?.value ?? name, summary: section.field("summary")?.value ?? "",
                sources: section.field("sources")?.value.commaList() ?? [],
                see: section.field("see")?.value.commaList() ?? [],
                resources: section.field("resources")?.value.commaList() ?? [], body: text,
                questions: collectedQuestions(section, text, in: document)))
        }
        if steps.isEmpty {
            error("K050", "the session has no steps: add a section like '== what-it-is' with a title and text",
                  location(document, 1))
            return nil
        }
        return Course(title: header.field("title")?.value ?? "", resources: header.field("resources")?.value.commaList() ?? [],
                      steps: steps, file: document.file)
    }

    // MARK: quiz.txt

    mutating func parseQuiz(_ document: RawDocument, topics: Set<String>, sources: Set<String>) -> [QuizItem] {
        var items: [QuizItem] = []
        for section in uniqueSections(document, what: "quiz questions") {
            let name = section.name!
            checkFields(section, in: document, allowed: ["topic", "sources", "question", "choice", "answer"],
                        required: ["topic", "sources", "question", "answer"], repeatable: ["choice"])
            checkReferences(section, "topic", in: document, known: topics, code: "K022", kind: "topic",
                            fix: "use an id from topics/")
            checkReferences(section, "sources", in: document, known: sources, code: "K021", kind: "source key",
                            fix: "add it to sources.txt")
            let choiceFields = section.fields("choice")
            let choices = choiceFields.map(\.value).filter { !$0.isEmpty }
            if !choiceFields.isEmpty && !ContentRequirements.quizChoices.contains(choiceFields.count) {
                let range = ContentRequirements.quizChoices
                error("K052", "a question with choices needs \(range.lowerBound) to \(range.upperBound) 'choice:' lines; this one has \(choiceFields.count) (leave them all out for a true-or-false question)",
                      location(document, choiceFields[0].line))
            }
            let answer = quizAnswer(section, choices: choiceFields.isEmpty ? nil : choices, in: document)
            let explanation = body(section, in: document)
            if explanation.isEmpty {
                error("K016", "the question '\(name)' has no explanation: write it after the fields and one blank line",
                      location(document, section.line))
            }
            items.append(QuizItem(
                id: name, topic: section.field("topic")?.value ?? "", sources: section.field("sources")?.value.commaList() ?? [],
                question: section.field("question")?.value ?? "", choices: choiceFields.isEmpty ? nil : choices,
                answer: answer ?? 1, explanation: explanation))
        }
        let size = ContentRequirements.quizSize
        if items.isEmpty {
            error("K050", "the quiz has no questions: add a section like '== stop-suddenly' with a question and its answer",
                  location(document, 1))
        } else if !size.contains(items.count) {
            warning("K053", "the quiz has \(items.count) questions; give \(size.lowerBound) to \(size.upperBound), so it stays short",
                    location(document, document.sections.first?.line ?? 1))
        }
        return items
    }

    /// `answer: true` / `answer: false` without choices, `answer: N` (a choice's number) with them.
    mutating func quizAnswer(_ section: RawSection, choices: [String]?, in document: RawDocument) -> Int? {
        guard let field = section.field("answer"), !field.value.isEmpty else { return nil }
        let at = location(document, field.line, field.valueColumn)
        guard let choices else {
            switch field.value.lowercasedFast() {
            case "true": return 1
            case "false": return 2
            default:
                error("K051", "a true-or-false question's answer is 'true' or 'false', not '\(field.value)'", at)
                return nil
            }
        }
        guard let number = Int(field.value), number >= 1, number <= max(choices.count, 1) else {
            error("K051", "the answer is the number of the right choice, from 1 to \(choices.count), not '\(field.value)'", at)
            return nil
        }
        return number
    }

    // MARK: Collected questions, messages, the reserved resource id

    /// A node's bullets when it has `collect: questions`.
    mutating func collectedQuestions(_ section: RawSection, _ body: [Block], in document: RawDocument) -> [String] {
        guard let field = section.field("collect"), !field.value.isEmpty else { return [] }
        guard field.value == ContentRequirements.collectQuestions else {
            error("K054", "'collect:' takes one value, 'questions', not '\(field.value)'",
                  location(document, field.line, field.valueColumn))
            return []
        }
        let bullets = body.flatMap { block -> [String] in
            if case .bullets(let items) = block { return items }
            return []
        }
        if bullets.isEmpty {
            error("K054", "'collect: questions' keeps the node's bullets, and this node has none: write each question as '- '",
                  location(document, field.line))
        }
        return bullets
    }

    /// The messages a session needs, and the labels some of them carry.
    mutating func checkSessionMessages(_ document: RawDocument, _ messages: Messages) {
        for key in ContentRequirements.sessionMessages where messages.sections[key] == nil {
            error("K044", "the session needs the message '\(key)': add a section '== \(key)'", location(document, 1))
        }
        for (key, labels) in ContentRequirements.sessionLabels.sorted(by: { $0.key < $1.key }) {
            guard let message = messages.sections[key],
                let section = document.sections.first(where: { $0.name == key })
            else { continue }
            for label in labels where message.field(label) == nil {
                error("K056", "the message '\(key)' needs the label '\(label): …'", location(document, section.line))
            }
        }
    }

    /// A detail that starts with the label the guide already writes before it ("text: Text HOME to 741741" shows as
    /// "Text Text HOME to 741741", "not-for: Not for emergencies" as "Not for: Not for emergencies") [K062, a
    /// warning]. `labels`: ui.txt's `resource-labels`; the bundle's and a clinic's own resources alike.
    mutating func checkResourceLabels(_ document: RawDocument, labels: Messages.Message?) {
        guard let labels else { return }
        func words(_ text: String) -> [Substring] {
            text.lowercased().split(separator: " ").map { $0.hasSuffix(":") ? $0.dropLast() : $0 }
        }
        for section in document.sections {
            for field in section.fields where Resource.detailKeys.contains(field.key) {
                guard let label = labels.field(field.key), !words(label).isEmpty,
                      words(field.value).starts(with: words(label)) else { continue }
                warning("K062", "the guide writes '\(label)' before a resource's \(field.key); start the value after it",
                        location(document, field.line, field.valueColumn))
            }
        }
    }

    /// `resources.txt` cannot define the id that stands for the clinic's own resources.
    mutating func checkReservedResource(_ document: RawDocument) {
        for section in document.sections where section.name == ContentRequirements.localResources {
            error("K055", "the resource id 'local' stands for the clinic's own resources (--local); pick another id",
                  location(document, section.line, 4))
        }
    }
}
