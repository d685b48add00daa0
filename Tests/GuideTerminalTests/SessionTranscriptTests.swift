import Foundation
import GuideContent
import GuideCore
import GuideTerminal
import Testing

/// Whole education sessions (`klonopin-guide session`) as plain files in `Transcripts/session/`, in the style of
/// the other transcripts. Files the session writes go to a fresh folder, shown in the transcript as `$DIR`.
/// Re-record with `RECORD_TRANSCRIPTS=1`.
@Suite("Transcripts of education sessions")
struct SessionTranscriptTests {
    static let folder = TranscriptTests.folder.appendingPathComponent("session")
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".txt") }.sorted()
    }()
    static let today = SimpleDate(year: 2026, month: 11, day: 27)
    /// The shipped bundle with the example overlay of a clinic's own resources (`Tests/Fixtures/local`).
    static let guide: Guide = {
        var bundle = TranscriptTests.guide.bundle
        let local = TranscriptTests.repository.appendingPathComponent("Tests/Fixtures/local").path
        bundle.localResources = BundleLoader.loadLocal(directory: local, bundle: bundle, today: today).resources!
        return Guide(bundle: bundle)
    }()

    /// Plays the inputs through a real session in `directory`; returns the transcript (with `directory` shown as
    /// `$DIR`) and the exit status.
    static func play(_ inputs: [LineInput], in directory: URL, transcript: TranscriptFile? = nil) -> (String, Int32) {
        let output = CollectingOutput()
        let reader = ScriptedLineReader(inputs, output: output)
        let session = Session(conversation: Conversation(guide: guide, today: today), reader: reader,
                              output: output, start: .sessionStarted, directory: directory.path,
                              transcript: transcript) {
            Renderer(width: 80, color: false)
        }
        let status = session.run()
        return (output.text.replacingOccurrences(of: directory.path, with: "$DIR"), status)
    }

    /// A new folder whose path has the same length on every machine (`/tmp/kg-` and six characters), so that
    /// lines holding it wrap the same way before it is shown as `$DIR`.
    static func temporaryFolder() throws -> URL {
        var template = Array("/tmp/kg-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw CocoaError(.fileWriteUnknown) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: path)
    }

    @Test("There are session transcripts to check")
    func thereAreTranscripts() {
        #expect(Self.names.count >= 1)
    }

    @Test("reset makes the terminal forget the lines typed (Up and Down) and closes the transcript")
    func resetForgets() throws {
        let directory = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let transcript = try TranscriptFile(path: "log.txt", directory: directory.path)
        let output = CollectingOutput()
        let reader = ScriptedLineReader([.line("note private words"), .line("reset"), .line("next"), .line("quit")],
                                        output: output)
        let session = Session(conversation: Conversation(guide: Self.guide, today: Self.today), reader: reader,
                              output: output, start: .sessionStarted, transcript: transcript) {
            Renderer(width: 80, color: false)
        }
        #expect(session.run() == 0)
        #expect(reader.forgotten == 1)
        #expect(!transcript.isOpen)
        let log = try String(contentsOf: directory.appendingPathComponent("log.txt"), encoding: .utf8)
        #expect(log.hasPrefix("A transcript of this session is being written to \(directory.path)/log.txt.\n"))
        #expect(log.contains("> note private words\n"))
        #expect(!log.contains("> next"))
        #expect(output.text.contains("> next\nStep 1 of 8"))
    }

    @Test("Each session transcript plays back exactly", arguments: names)
    func transcript(_ name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        let expected = try String(contentsOf: url, encoding: .utf8)
        let directory = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (actual, status) = Self.play(TranscriptTests.inputs(of: expected), in: directory)
        if ProcessInfo.processInfo.environment["RECORD_TRANSCRIPTS"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(status == 0)
        #expect(actual == expected, "re-record with RECORD_TRANSCRIPTS=1 if the change is deliberate")
        if actual != expected { Issue.record("first difference: \(TranscriptTests.firstDifference(actual, expected))") }
    }
}
