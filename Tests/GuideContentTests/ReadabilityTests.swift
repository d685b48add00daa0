import GuideContent
import Testing

/// Flesch–Kincaid grade level, with the usual vowel-group syllable count.
enum Readability {
    /// 0.39 × words per sentence + 11.8 × syllables per word − 15.59.
    static func grade(_ blocks: [Block]) -> Double {
        var sentences = 0
        var words = 0
        var syllables = 0
        for unit in units(blocks) {
            let unitWords = unit.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
                .filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }
            guard !unitWords.isEmpty else { continue }
            sentences += max(1, sentenceCount(unit))
            words += unitWords.count
            syllables += unitWords.reduce(0) { $0 + syllableCount($1) }
        }
        guard sentences > 0, words > 0 else { return 0 }
        return 0.39 * Double(words) / Double(sentences) + 11.8 * Double(syllables) / Double(words) - 15.59
    }

    /// Headings, paragraphs and each bullet: a bullet or heading is read as a sentence of its own.
    static func units(_ blocks: [Block]) -> [String] {
        blocks.flatMap { block -> [String] in
            switch block {
            case .heading(let text), .paragraph(let text): return [Markup.strip(text)]
            case .bullets(let items), .choices(let items): return items.map(Markup.strip)
            }
        }
    }

    static func sentenceCount(_ text: String) -> Int {
        var count = 0
        let characters = Array(text)
        for (index, character) in characters.enumerated() where ".!?".contains(character) {
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            let previous = index > 0 ? characters[index - 1] : " "
            let endsWord = previous.isLetter || previous.isNumber || previous == ")" || previous == "\""
            if (next == " " && endsWord) || index == characters.count - 1 {
                count += 1
            }
        }
        return count
    }

    static func syllableCount(_ raw: String) -> Int {
        var word = raw.lowercased().filter { $0.isLetter }
        if word.isEmpty { return 1 }
        if word.count <= 3 { return 1 }
        for suffix in ["es", "ed"] where word.hasSuffix(suffix) && !word.hasSuffix("le" + suffix.dropFirst()) {
            word.removeLast(2)
            break
        }
        if word.hasSuffix("e") && !word.hasSuffix("le") { word.removeLast() }
        var groups = 0
        var previousVowel = false
        for character in word {
            let vowel = "aeiouy".contains(character)
            if vowel && !previousVowel { groups += 1 }
            previousVowel = vowel
        }
        return max(groups, 1)
    }
}

@Suite("Plain language")
struct ReadabilityTests {
    @Test("The formula counts syllables and sentences as expected")
    func formula() {
        #expect(["cat", "taper", "withdrawal", "medicine", "seizures", "table", "tapered"].map(Readability.syllableCount)
            == [1, 2, 3, 3, 2, 2, 2])
        #expect(Readability.sentenceCount("Call 911. It is free! Are you safe?") == 3)
        #expect(Readability.grade([.paragraph("The cat sat on the mat.")]) < 1)
    }

    @Test("Topic answers: median Flesch–Kincaid grade 8 or lower, none above 10")
    func topicGrades() throws {
        let bundle = try #require(BundleLoader.load(directory: Fixtures.content, today: Fixtures.today).bundle)
        let grades = bundle.topics.map { ($0.id, Readability.grade($0.body)) }.sorted { $0.1 < $1.1 }
        let median = grades.count % 2 == 1
            ? grades[grades.count / 2].1 : (grades[grades.count / 2 - 1].1 + grades[grades.count / 2].1) / 2
        print("Flesch–Kincaid grades (\(grades.count) topics): median \(median), max \(grades.last!.1) (\(grades.last!.0))")
        for (id, grade) in grades { print("  \(id): \(grade)") }
        #expect(median <= 8)
        for (id, grade) in grades { #expect(grade <= 10, "\(id) reads at grade \(grade)") }
    }

    @Test("Flow steps and safety responses are plain too: none above grade 10")
    func otherGrades() throws {
        let bundle = try #require(BundleLoader.load(directory: Fixtures.content, today: Fixtures.today).bundle)
        for flow in bundle.flows.values {
            for node in flow.nodes.values {
                #expect(Readability.grade(node.body) <= 10, "\(flow.id)/\(node.name)")
            }
        }
        for category in bundle.safety + [bundle.sos] {
            #expect(Readability.grade(category.response) <= 10, "\(category.id)")
        }
    }
}
