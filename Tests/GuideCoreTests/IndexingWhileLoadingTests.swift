import Foundation
@testable import GuideContent
@testable import GuideCore
import Testing

/// A first start indexes each topic while the loader parses it (`BundleLoader.load(indexing:)`), on two builders
/// above `Matcher.topicsForTwoThreads` topics. It must make exactly what a matcher built from the loaded topics
/// makes: the same diagnostics, the same words, the same compiled index, byte for byte.
@Suite("Indexing topics while they load")
struct IndexingWhileLoadingTests {
    /// The shipped bundle, plus generated topics past the two-builder cut-off: ids that begin with other ids
    /// ("low-cost-care-1" after "low-cost-care": their files' names sort the other way round, "-" before "."),
    /// and words in other scripts.
    static func bigBundle() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kg-indexing-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestGuide.repository.appendingPathComponent("Content/en"), to: folder)
        let words = ["σύνδρομο", "бессонница", "不眠", "café", "naïve", "tapering", "sleep", "withdrawal", "ärger", "ξ"]
        for number in 0..<(Matcher.topicsForTwoThreads + 20) {
            let id = (number % 3 == 0 ? "sleep-" : number % 3 == 1 ? "low-cost-care-" : "zz-") + String(number)
            let word = words[number % words.count]
            let text = """
                id: \(id)
                title: Generated topic \(number) about \(word)
                ask: what about \(word) and \(words[(number + 3) % words.count]) number \(number)
                ask: \(word) \(word) again
                ask: is \(word) normal
                ask: more on \(word)
                ask: \(word) at night
                ask: help with \(word) please
                ask: why \(word)
                ask: \(word) and sleep number \(number)
                sources: FDA-LABEL
                reviewed: 2026-11-27

                This topic \(number) talks about \(word) and \(words[(number + 5) % words.count]).

                """
            try text.write(to: folder.appendingPathComponent("topics").appendingPathComponent(id + ".txt"),
                           atomically: true, encoding: .utf8)
        }
        return folder
    }

    func compare(_ directory: String) throws {
        let full = BundleLoader.load(directory: directory, today: TestGuide.today)
        let bundle = try #require(full.bundle)
        let indexing = Matcher.Indexing()
        let lazy = BundleLoader.load(directory: directory, today: TestGuide.today, indexing: indexing)
        #expect(lazy.diagnostics == full.diagnostics)
        let lazyBundle = try #require(lazy.bundle)
        #expect(lazyBundle.shelf.ids == bundle.shelf.ids)
        var words: Set<String> = []
        let indexed = indexing.matcher(ids: lazyBundle.shelf.ids, lexicon: lazyBundle.lexicon, words: { words = $0.set })
        #expect(indexed != nil)
        var fullWords: Set<String> = []
        _ = Matcher(topics: bundle.topics, lexicon: bundle.lexicon, words: { fullWords = $0.set })
        #expect(words == fullWords)
        let again = Matcher.Indexing()
        let lazyAgain = try #require(BundleLoader.load(directory: directory, today: TestGuide.today, indexing: again).bundle)
        let built = Guide(bundle: bundle).compiledIndex(key: 1).bytes
        let whileLoading = Guide(bundle: lazyAgain, indexed: again).compiledIndex(key: 1).bytes
        #expect(built == whileLoading)
    }

    @Test("The shipped bundle: one builder")
    func shipped() throws {
        try compare(TestGuide.repository.appendingPathComponent("Content/en").path)
    }

    @Test("A bundle past the two-builder cut-off, with ids that begin with other ids, and other scripts")
    func big() throws {
        let folder = try Self.bigBundle()
        defer { try? FileManager.default.removeItem(at: folder) }
        let loaded = BundleLoader.load(directory: folder.path, today: TestGuide.today)
        #expect(loaded.diagnostics.filter { $0.severity == .error } == [])
        #expect((loaded.bundle?.shelf.ids.count ?? 0) > Matcher.topicsForTwoThreads)
        try compare(folder.path)
    }
}
