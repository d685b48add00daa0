import GuideContent

/// The take-home page of an education session, made from what the session holds and the bundle's words.
extension Conversation {
    /// The handout as things stand: the steps covered, the quiz scores, questions for the prescriber (the guide's,
    /// then the person's own words), where to get help (the clinic's own first), and the sources.
    func handout(_ state: State) -> Handout {
        let course = state.course ?? CourseProgress()
        let plan = bundle.course
        let steps = plan?.steps ?? []
        func label(_ name: String, _ values: [String: String] = [:]) -> String {
            Messages.fill(messages.field("handout", name) ?? name, values)
        }
        var parts: [Handout.Part] = [
            .content([.paragraph(label("date", ["date": today.description]))] + messages.blocks("handout"))
        ]

        let covered = course.covered.sorted().filter { $0 >= 1 && $0 <= steps.count }.map { steps[$0 - 1] }
        parts.append(.content([.heading(label("steps"))] + (covered.isEmpty
            ? [.paragraph(label("no-steps"))]
            : [.bullets(covered.map { "**\($0.title).** \($0.summary)" })])))

        let count = String(bundle.quiz.count)
        let scores = [("quiz-before", course.scoreBefore), ("quiz-after", course.scoreAfter)].compactMap { name, score in
            score.map { label(name, ["score": String($0), "count": count]) }
        }
        if !scores.isEmpty { parts.append(.content([.heading(label("quiz")), .bullets(scores)])) }

        var questions: [Block] = [.heading(label("questions"))]
        if !course.suggested.isEmpty { questions += [.paragraph("**\(label("suggested"))**"), .bullets(course.suggested)] }
        if !course.notes.isEmpty { questions.append(.paragraph("**\(label("own-words"))**")) }
        if course.suggested.isEmpty && course.notes.isEmpty { questions.append(.paragraph(label("no-questions"))) }
        parts.append(.content(questions))
        if !course.notes.isEmpty { parts.append(.ownWords(course.notes)) }

        var help: [Block] = [.heading(label("help"))]
        if !bundle.localResources.isEmpty {
            help.append(.paragraph("**\(label("local"))**"))
            for resource in bundle.localResources { help += guide.resourceBlocks(resource) }
        }
        for resource in bundle.resources(plan?.resources ?? []) where !bundle.localResources.contains(resource) {
            help += guide.resourceBlocks(resource)
        }
        parts.append(.content(help))

        // The sources of what was taught: the steps covered, and the quiz when one was taken.
        var keys: [String] = []
        let quizSources = scores.isEmpty ? [] : bundle.quiz.flatMap(\.sources)
        for key in covered.flatMap(\.sources) + quizSources where !keys.contains(key) { keys.append(key) }
        let citations = guide.citationBlocks(keys)
        if !citations.isEmpty { parts.append(.content([.heading(label("sources"))] + citations)) }

        return Handout(language: bundle.language, title: plan?.title ?? bundle.name, parts: parts)
    }
}
