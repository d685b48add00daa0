import GuideContent
import Testing

@Suite("Plain language in the education session")
struct CourseReadabilityTests {
    @Test("Session steps: median Flesch–Kincaid grade 8 or lower, none above 10")
    func steps() throws {
        let bundle = try #require(BundleLoader.load(directory: Fixtures.content, today: Fixtures.today).bundle)
        let course = try #require(bundle.course)
        let grades = course.steps.map { Readability.grade($0.body) }.sorted()
        print("session step grades: \(grades)")
        #expect(grades[grades.count / 2] <= 8)
        for (step, grade) in zip(course.steps, course.steps.map { Readability.grade($0.body) }) {
            #expect(grade <= 10, "\(step.id) reads at grade \(grade)")
        }
    }

    @Test("Quiz questions and explanations: none above grade 8")
    func quiz() throws {
        let bundle = try #require(BundleLoader.load(directory: Fixtures.content, today: Fixtures.today).bundle)
        for item in bundle.quiz {
            let grade = Readability.grade([.paragraph(item.question)] + item.explanation)
            #expect(grade <= 8, "\(item.id) reads at grade \(grade)")
        }
    }
}
