import Foundation
import GuideContent
import GuideCore
import GuideTerminal
import Testing

/// A reader that plays back lines, echoing each as `> line` into the transcript.
final class ScriptedLineReader: LineReader {
    var lines: [LineInput]
    let output: TextOutput
    private(set) var forgotten = 0

    init(_ lines: [LineInput], output: TextOutput) {
        self.lines = lines
        self.output = output
    }

    func readLine(prompt: String) -> LineInput {
        guard !lines.isEmpty else { return .endOfInput }
        let next = lines.removeFirst()
        switch next {
        case .line(let text): output.write("> \(text)\n")
        case .interrupted: output.write("> ^C\n")
        case .endOfInput: output.write("> ^D\n")
        }
        return next
    }

    func setCompletions(_ words: @escaping () -> [String]) {}
    func forgetHistory() throws { forgotten += 1 }
}

/// Whole conversations as plain files: `> ` lines are what the person types, the rest is what the guide shows.
/// Re-record after a deliberate change with `RECORD_TRANSCRIPTS=1 swift test --filter Transcript`.
@Suite("Transcripts")
struct TranscriptTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".txt") }.sorted()
    }()
    static let guide: Guide = {
        let result = BundleLoader.load(directory: repository.appendingPathComponent("Content/en").path,
                                       today: SimpleDate(year: 2026, month: 11, day: 27))
        return Guide(bundle: result.bundle!)
    }()
    /// The same guide as a stamped start makes it: the welcome from the messages alone, the bundle read later.
    static let laterGuide = Guide(messages: guide.bundle.messages, loading: { guide.bundle })

    /// The typed lines of a transcript: `> text`, `> ^C` (Ctrl-C), `> ^D` (Ctrl-D).
    static func inputs(of transcript: String) -> [LineInput] {
        transcript.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> LineInput? in
            guard line.hasPrefix("> ") || line == ">" else { return nil }
            let text = String(line.dropFirst(2))
            switch text {
            case "^C": return .interrupted
            case "^D": return .endOfInput
            default: return .line(text)
            }
        }
    }

    /// Runs the inputs through a real session and returns the transcript it produces.
    static func play(_ inputs: [LineInput], guide: Guide = guide) -> (String, Int32) {
        let output = CollectingOutput()
        let reader = ScriptedLineReader(inputs, output: output)
        let session = Session(conversation: Conversation(guide: guide), reader: reader, output: output) {
            Renderer(width: 80, color: false)
        }
        let status = session.run()
        return (output.text, status)
    }

    @Test("There are transcripts to check")
    func thereAreTranscripts() {
        #expect(Self.names.count >= 5)
    }

    @Test("Each transcript plays back exactly", arguments: names)
    func transcript(_ name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        let expected = try String(contentsOf: url, encoding: .utf8)
        let (actual, status) = Self.play(Self.inputs(of: expected))
        if ProcessInfo.processInfo.environment["RECORD_TRANSCRIPTS"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(status == 0)
        #expect(actual == expected, "re-record with RECORD_TRANSCRIPTS=1 if the change is deliberate")
        if actual != expected { Issue.record("first difference: \(Self.firstDifference(actual, expected))") }
    }

    @Test("Each transcript plays back the same when the bundle is read after the welcome", arguments: names)
    func transcriptWithBundleLater(_ name: String) throws {
        let expected = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
        let (actual, status) = Self.play(Self.inputs(of: expected), guide: Self.laterGuide)
        #expect(status == 0)
        #expect(actual == expected)
        if actual != expected { Issue.record("first difference: \(Self.firstDifference(actual, expected))") }
    }

    @Test("A bundle that cannot be loaded after the welcome stops the session before any line is answered")
    func bundleThatFailsLater() throws {
        let failing = Guide(messages: Self.guide.bundle.messages, loading: { nil })
        let (text, status) = Self.play([.line("how long does withdrawal last"), .line("quit")], guide: failing)
        // What a working guide shows up to that line: the same welcome, and the line typed.
        let (working, _) = Self.play([.line("how long does withdrawal last")], guide: Self.guide)
        let typed = try #require(working.range(of: "> how long does withdrawal last\n"))
        #expect(status == 1)
        #expect(text == String(working[..<typed.upperBound]))
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "<end>"
            let r = index < right.count ? String(right[index]) : "<end>"
            if l != r { return "line \(index + 1): got «\(l)», expected «\(r)»" }
        }
        return "none"
    }
}
