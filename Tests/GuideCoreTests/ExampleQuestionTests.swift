import GuideContent
import GuideCore
import Testing

/// The example questions of every topic double as a development set: each must be answered by its own topic.
/// This is the floor; `bench/` holds the separate, harder question set.
@Suite("Example questions")
struct ExampleQuestionTests {
    @Test("Every topic's example questions are answered by that topic")
    func ownQuestions() {
        let guide = TestGuide.shipped
        var wrong: [String] = []
        var total = 0
        for topic in guide.bundle.topics {
            for ask in topic.asks {
                total += 1
                let reply = guide.reply(to: ask)
                if reply.kind != .answer || reply.id != topic.id {
                    wrong.append("\(topic.id) ← \(ask) (got \(reply.kind.rawValue) \(reply.id ?? reply.candidates.joined(separator: "/")))")
                }
            }
        }
        print("example questions answered by their own topic: \(total - wrong.count) of \(total)")
        #expect(total >= 26 * 8)
        #expect(wrong == [])
    }
}
