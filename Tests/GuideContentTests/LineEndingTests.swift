import Foundation
@testable import GuideContent
import Testing

/// Files saved on Windows end their lines with CR LF, and some editors start them with a byte-order mark:
/// the bundle they make is the same, and so is every diagnostic, line and column.
@Suite("Line endings and byte-order marks")
struct LineEndingTests {
    /// Every line of every file ended with "\r\n" instead of "\n", and a byte-order mark first when `mark`.
    static func windows(_ files: [String: String], mark: Bool = false) -> [String: String] {
        files.mapValues { (mark ? "\u{FEFF}" : "") + $0.replacingOccurrences(of: "\n", with: "\r\n") }
    }

    /// Everything a bundle holds, compared field by field.
    static func expectSame(_ bundle: ContentBundle?, _ expected: ContentBundle?) {
        guard let bundle, let expected else {
            Issue.record("a bundle did not load")
            return
        }
        #expect(bundle.language == expected.language)
        #expect(bundle.name == expected.name)
        #expect(bundle.version == expected.version)
        #expect(bundle.topics == expected.topics)
        #expect(bundle.flows == expected.flows)
        #expect(bundle.resources == expected.resources)
        #expect(bundle.sources == expected.sources)
        #expect(bundle.safety == expected.safety)
        #expect(bundle.sos == expected.sos)
        #expect(bundle.lexicon == expected.lexicon)
        #expect(bundle.messages == expected.messages)
    }

    @Test("The minimal fixture with CR LF line endings loads into the same bundle, with no diagnostics")
    func crlfFixture() {
        let files = Fixtures.files(Fixtures.minimal)
        let expected = BundleLoader.load(files: files, today: Fixtures.today)
        #expect(expected.diagnostics == [])
        let result = BundleLoader.load(files: LineEndingTests.windows(files), today: Fixtures.today)
        #expect(result.diagnostics == [])
        LineEndingTests.expectSame(result.bundle, expected.bundle)
        // Nothing of the line endings is left in the text.
        #expect(result.bundle?.topics.allSatisfy { !$0.body.plainText.contains("\r") && !$0.title.contains("\r") } == true)
    }

    @Test("With a byte-order mark as well, the bundle is still the same")
    func byteOrderMark() {
        let files = Fixtures.files(Fixtures.minimal)
        let expected = BundleLoader.load(files: files, today: Fixtures.today)
        let windows = BundleLoader.load(files: LineEndingTests.windows(files, mark: true), today: Fixtures.today)
        #expect(windows.diagnostics == [])
        LineEndingTests.expectSame(windows.bundle, expected.bundle)
        let marked = BundleLoader.load(files: files.mapValues { "\u{FEFF}" + $0 }, today: Fixtures.today)
        #expect(marked.diagnostics == [])
        LineEndingTests.expectSame(marked.bundle, expected.bundle)
    }

    @Test("The shipped bundle with CR LF line endings loads into the same bundle")
    func crlfShippedBundle() {
        let files = Fixtures.files(Fixtures.content)
        let expected = BundleLoader.load(files: files, today: Fixtures.today)
        let result = BundleLoader.load(files: LineEndingTests.windows(files, mark: true), today: Fixtures.today)
        #expect(result.diagnostics == expected.diagnostics)
        LineEndingTests.expectSame(result.bundle, expected.bundle)
    }

    @Test("A broken fixture with CR LF line endings gets exactly the same diagnostics",
          arguments: BundleLoaderTests.breakages)
    func crlfBrokenFixture(_ breakage: BundleLoaderTests.Breakage) {
        var files = Fixtures.files(Fixtures.minimal)
        let changed = breakage.change(files[breakage.file] ?? "")
        if changed == "\u{0}DELETE" { files[breakage.file] = nil } else { files[breakage.file] = changed }
        let result = BundleLoader.load(files: LineEndingTests.windows(files, mark: true), today: Fixtures.today)
        #expect(result.diagnostics.map(\.description) == breakage.expected)
        #expect((result.bundle == nil) == breakage.expected.contains { $0.contains(": error: ") })
    }

    @Test("Lines end at LF or CR LF; a lone CR stays in the line, spaces before the line end go")
    func lines() {
        #expect(RawScanner.lines(of: "a\r\nb\nc\r\n") == ["a", "b", "c"])
        #expect(RawScanner.lines(of: "\u{FEFF}a  \r\n\tb\t\r\n\r\n") == ["a", "\tb", ""])
        #expect(RawScanner.lines(of: "a\rb\r\n") == ["a\rb"])
        #expect(RawScanner.lines(of: "a\r\r\n") == ["a\r"])
        #expect(RawScanner.lines(of: "last\r") == ["last"])
        #expect(RawScanner.lines(of: "") == [])
        #expect(RawScanner.lines(of: "\r\n") == [""])
    }
}
