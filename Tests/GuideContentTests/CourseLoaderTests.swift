import Foundation
@testable import GuideContent
import Testing

@Suite("Loading the education session: session.txt, quiz.txt and their messages")
struct CourseLoaderTests {
    @Test("The course fixture loads into exactly the model its files describe")
    func courseFixture() throws {
        let result = BundleLoader.load(files: Fixtures.courseFiles(), today: Fixtures.today)
        #expect(result.diagnostics == [])
        let bundle = try #require(result.bundle)
        #expect(bundle.course == Course(
            title: "The course", resources: ["line"],
            steps: [
                CourseStep(id: "one", title: "First step", summary: "ONE-SUMMARY.", sources: ["SRC-A"], see: ["sleep"],
                           resources: [], body: [.paragraph("Step one.")]),
                CourseStep(id: "two", title: "Second step", summary: "TWO-SUMMARY.", sources: ["SRC-B"], see: [],
                           resources: [], body: [.paragraph("Ask these:"), .bullets(["Question A?", "Question B?"])],
                           questions: ["Question A?", "Question B?"]),
                CourseStep(id: "three", title: "Third step", summary: "THREE-SUMMARY.", sources: ["SRC-A", "SRC-B"],
                           see: [], resources: ["local", "line"], body: [.paragraph("Step three.")]),
            ],
            file: "bundle/session.txt"))
        #expect(bundle.quiz.count == 5)
        #expect(bundle.quiz[0] == QuizItem(id: "q1", topic: "sleep", sources: ["SRC-A"],
                                           question: "Sleep is hard in withdrawal.", choices: nil, answer: 1,
                                           explanation: [.paragraph("WHY-Q1.")]))
        #expect(bundle.quiz[1] == QuizItem(id: "q2", topic: "tapering", sources: ["SRC-B"], question: "Which one?",
                                           choices: ["Alpha", "Beta", "Gamma"], answer: 2,
                                           explanation: [.paragraph("WHY-Q2.")]))
        #expect(bundle.quiz[2].answer == 2)
        #expect(bundle.flow("visit")?.node("list")?.questions == ["Question C?", "Question A?"])
        #expect(bundle.flow("tour")?.node("one")?.questions == [])
    }

    @Test("A bundle without session.txt has no course and needs no session messages")
    func noSession() throws {
        let result = BundleLoader.load(files: Fixtures.files(Fixtures.minimal), today: Fixtures.today)
        let bundle = try #require(result.bundle)
        #expect(bundle.course == nil)
        #expect(bundle.quiz == [])
    }

    @Test("The shipped session and quiz: 5 to 8 questions, each naming a topic, every step sourced")
    func shipped() throws {
        let bundle = try #require(BundleLoader.load(directory: Fixtures.content, today: Fixtures.today).bundle)
        let course = try #require(bundle.course)
        #expect(course.steps.count >= 5)
        #expect(ContentRequirements.quizSize.contains(bundle.quiz.count))
        for step in course.steps { #expect(!step.sources.isEmpty, "\(step.id)") }
        for item in bundle.quiz {
            #expect(bundle.topic(item.topic) != nil, "\(item.id)")
            #expect(!item.sources.isEmpty, "\(item.id)")
        }
        #expect(bundle.flow("taper")?.node("ask-list")?.questions.count ?? 0 >= 5)
    }

    /// A change to one file of the course fixture, and every diagnostic it must produce.
    typealias Breakage = BundleLoaderTests.Breakage

    static let breakages: [Breakage] = [
        Breakage(name: "a session with no steps", file: "session.txt",
                 change: { _ in "title: Empty\n" },
                 expected: ["bundle/session.txt:1:1: error: the session has no steps: add a section like '== what-it-is' with a title and text [K050]"]),
        Breakage(name: "a step without summary, sources or text", file: "session.txt",
                 change: { $0.replacingOccurrences(of: "summary: ONE-SUMMARY.\nsources: SRC-A\nsee: sleep\n\nStep one.\n", with: "") },
                 expected: [
                    "bundle/session.txt:4:1: error: section 'one' needs a 'summary:' field [K010]",
                    "bundle/session.txt:4:1: error: section 'one' needs a 'sources:' field [K010]",
                    "bundle/session.txt:4:1: error: the step 'one' has no text: write it after the fields and one blank line [K016]",
                 ]),
        Breakage(name: "a step names unknown sources, topics and resources", file: "session.txt",
                 change: { $0.replacingOccurrences(of: "sources: SRC-A\nsee: sleep", with: "sources: SRC-Q\nsee: sleepy")
                     .replacingOccurrences(of: "resources: local, line", with: "resources: local, lime") },
                 expected: [
                    "bundle/session.txt:7:10: error: unknown source key 'SRC-Q': add it to sources.txt [K021]",
                    "bundle/session.txt:8:6: error: unknown topic 'sleepy': use an id from topics/ [K022]",
                    "bundle/session.txt:27:19: error: unknown resource 'lime': use an id from resources.txt, or 'local' [K023]",
                 ]),
        Breakage(name: "a session without its quiz", file: "quiz.txt", change: { _ in "\u{0}DELETE" },
                 expected: ["bundle/quiz.txt:1:1: error: the bundle needs this file, and it is missing or cannot be read [K045]"]),
        Breakage(name: "a true-or-false answer that is neither", file: "quiz.txt",
                 change: { $0.replacingOccurrences(of: "answer: true\n\nWHY-Q1.", with: "answer: yes\n\nWHY-Q1.") },
                 expected: ["bundle/quiz.txt:5:9: error: a true-or-false question's answer is 'true' or 'false', not 'yes' [K051]"]),
        Breakage(name: "an answer past the last choice", file: "quiz.txt",
                 change: { $0.replacingOccurrences(of: "answer: 2", with: "answer: 4") },
                 expected: ["bundle/quiz.txt:16:9: error: the answer is the number of the right choice, from 1 to 3, not '4' [K051]"]),
        Breakage(name: "one choice only", file: "quiz.txt",
                 change: { $0.replacingOccurrences(of: "choice: First\nchoice: Second\n", with: "choice: First\n") },
                 expected: ["bundle/quiz.txt:32:1: error: a question with choices needs 2 to 6 'choice:' lines; this one has 1 (leave them all out for a true-or-false question) [K052]"]),
        Breakage(name: "a question with no topic and no explanation", file: "quiz.txt",
                 change: { $0.replacingOccurrences(of: "topic: timeline\n", with: "").replacingOccurrences(of: "WHY-Q3.\n", with: "") },
                 expected: [
                    "bundle/quiz.txt:20:1: error: section 'q3' needs a 'topic:' field [K010]",
                    "bundle/quiz.txt:20:1: error: the question 'q3' has no explanation: write it after the fields and one blank line [K016]",
                 ]),
        Breakage(name: "a question from an unknown topic", file: "quiz.txt",
                 change: { $0.replacingOccurrences(of: "topic: timeline", with: "topic: timelime") },
                 expected: ["bundle/quiz.txt:21:8: error: unknown topic 'timelime': use an id from topics/ [K022]"]),
        Breakage(name: "a quiz too short", file: "quiz.txt",
                 change: { String($0[..<$0.range(of: "== q3")!.lowerBound]) },
                 expected: ["bundle/quiz.txt:1:1: warning: the quiz has 2 questions; give 5 to 8, so it stays short [K053]"]),
        Breakage(name: "an empty quiz", file: "quiz.txt", change: { _ in "// nothing yet\n" },
                 expected: ["bundle/quiz.txt:1:1: error: the quiz has no questions: add a section like '== stop-suddenly' with a question and its answer [K050]"]),
        Breakage(name: "collect with a wrong value, and with no bullets", file: "flows/visit.txt",
                 change: { $0.replacingOccurrences(of: "collect: questions", with: "collect: answers") },
                 expected: ["bundle/flows/visit.txt:7:10: error: 'collect:' takes one value, 'questions', not 'answers' [K054]"]),
        Breakage(name: "collect on a step with no bullets", file: "session.txt",
                 change: { $0.replacingOccurrences(of: "- Question A?\n- Question B?\n", with: "Nothing.\n") },
                 expected: ["bundle/session.txt:16:1: error: 'collect: questions' keeps the node's bullets, and this node has none: write each question as '- ' [K054]"]),
        Breakage(name: "resources.txt takes the reserved id 'local'", file: "resources.txt",
                 change: { $0 + "\n== local\nname: Ours\nverified: 2026-01-10\n" },
                 expected: ["bundle/resources.txt:7:4: error: the resource id 'local' stands for the clinic's own resources (--local); pick another id [K055]"]),
        Breakage(name: "a session message and a handout label missing", file: "ui.txt",
                 change: { $0.replacingOccurrences(of: "== quiz-busy\nQUIZ-BUSY.\n", with: "")
                     .replacingOccurrences(of: "own-words: Own words\n", with: "") },
                 expected: [
                    "bundle/ui.txt:1:1: error: the session needs the message 'quiz-busy': add a section '== quiz-busy' [K044]",
                    "bundle/ui.txt:202:1: error: the message 'handout' needs the label 'own-words: …' [K056]",
                 ]),
    ]

    @Test("Each broken course fixture gets exactly its diagnostics", arguments: breakages)
    func broken(_ breakage: Breakage) {
        var files = Fixtures.courseFiles()
        let changed = breakage.change(files[breakage.file] ?? "")
        if changed == "\u{0}DELETE" { files[breakage.file] = nil } else { files[breakage.file] = changed }
        let result = BundleLoader.load(files: files, today: Fixtures.today)
        #expect(result.diagnostics.map(\.description) == breakage.expected)
        #expect((result.bundle == nil) == breakage.expected.contains { $0.contains(": error: ") })
    }
}
