import Foundation
import Testing

/// The real binary's `session` command, piped: local overlays, refusing bad ones, handouts and transcripts on
/// disk.
@Suite("The executable: education sessions")
struct SessionExecutableTests {
    let runner = ExecutableTests()
    static let local = ExecutableTests.repository.appendingPathComponent("Tests/Fixtures/local").path
    static let broken = ExecutableTests.repository.appendingPathComponent("Tests/Fixtures/local-broken").path

    @Test("An overlay with errors: file:line diagnostics on stderr, exit 1, and the guide never starts")
    func brokenOverlay() throws {
        for arguments in [["session", "--local", Self.broken], ["--local", Self.broken], ["--local", Self.broken, "ask", "sleep"]] {
            let result = try runner.run(arguments, input: Data("next\nquit\n".utf8))
            #expect(result.status == 1, "\(arguments)")
            #expect(result.text == "", "\(arguments)")
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.count == 5, "\(arguments)")
            #expect(lines.first == "\(Self.broken)/resources.txt:1:4: error: the bundle already has a resource '988': give the clinic's own another id [K055]")
            #expect(lines.last == "klonopin-guide: the local resources in '\(Self.broken)' have 4 error(s); fix them, then run 'klonopin-guide check --local \(Self.broken)'")
        }
    }

    @Test("check --local checks the overlay against the bundle")
    func checkLocal() throws {
        let good = try runner.run(["check", "--local", Self.local])
        #expect(good.status == 0)
        #expect(good.text == "Content/en: 0 errors, 0 warnings\n\(Self.local): 0 errors, 0 warnings\n")
        let bad = try runner.run(["check", "--local", Self.broken])
        #expect(bad.status == 1)
        #expect(bad.text.hasSuffix("\(Self.broken): 4 errors, 0 warnings\n"))
        let missing = try runner.run(["check", "--local", "/nonexistent/local"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "klonopin-guide: cannot read the local resources folder '/nonexistent/local': it does not exist or is not a folder\n")
    }

    @Test("A bundle with no session.txt has no session to run")
    func noSession() throws {
        let result = try runner.run(["session", "--content", "Tests/Fixtures/minimal"])
        #expect(result.status == 1)
        #expect(result.stderr == "klonopin-guide: the content bundle in 'Tests/Fixtures/minimal' has no session.txt, so it has no education session to run\n")
    }

    @Test("A session writes its handout and transcript at mode 0600, says where, and reset closes the transcript")
    func filesOnDisk() throws {
        let directory = try SessionTranscriptTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let handout = directory.appendingPathComponent("visit.html").path
        let transcript = directory.appendingPathComponent("session.log").path
        let input = "next\nnote my own question\nhandout \(handout)\nreset\nnext\nquit\n"
        let result = try runner.run(["session", "--local", Self.local, "--transcript", transcript],
                                    input: Data(input.utf8))
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let flat = result.text.replacingOccurrences(of: "\n", with: " ")
        #expect(flat.contains("The handout is written to \(handout)."))
        #expect(flat.contains("A transcript of this session is being written to \(transcript)."))
        #expect(flat.contains("The transcript \(transcript) is closed."))
        for path in [handout, transcript] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path)")
        }
        let page = try String(contentsOfFile: handout, encoding: .utf8)
        #expect(page.contains("<li>my own question</li>"))
        #expect(page.contains("Riverside Community Clinic"))
        // The transcript holds the first person's part, and nothing after reset.
        let log = try String(contentsOfFile: transcript, encoding: .utf8)
        #expect(log.contains("> note my own question\n"))
        #expect(log.contains("> reset\n"))
        #expect(!log.contains("> next\n> quit"))
        #expect(!log.contains("Take care."))
        #expect(!log.contains("\u{1B}"))
    }

    @Test("A transcript that cannot be opened stops the guide before it starts")
    func badTranscript() throws {
        let result = try runner.run(["session", "--transcript", "/nonexistent/folder/log.txt"], input: Data("quit\n".utf8))
        #expect(result.status == 1)
        #expect(result.text == "")
        #expect(result.stderr == "klonopin-guide: cannot write the transcript to '/nonexistent/folder/log.txt': No such file or directory\n")
    }
}
