import Foundation
import GuideContent
import GuideCore
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The real binary, run with pipes: exit codes, one-shot commands, JSON, and bad input.
@Suite("The executable, piped")
struct ExecutableTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = repository.appendingPathComponent(".build/debug/klonopin-guide")
    /// Where the runs keep bundle stamps: not the real cache folder.
    static let cache = FileManager.default.temporaryDirectory.appendingPathComponent("kg-cache-\(UUID().uuidString)")

    struct Run {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    func run(_ arguments: [String], input: Data = Data(), environment: [String: String] = [:]) throws -> Run {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path),
                     "build the guide first (make test does): \(Self.binary.path)")
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        var env = ProcessInfo.processInfo.environment
        env["KLONOPIN_GUIDE_CONTENT"] = nil
        env["KLONOPIN_GUIDE_STAMPS"] = nil
        env["XDG_CACHE_HOME"] = Self.cache.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }

    static let escape = UInt8(0x1B)

    @Test("Piped lines are answered in order, with no prompt and no escape sequences")
    func piped() throws {
        let result = try run([], input: Data("topics\nquit\n".utf8))
        #expect(result.status == 0)
        #expect(!result.stdout.contains(Self.escape))
        #expect(!result.text.contains("ask>"))
        #expect(result.text.contains("  1. "))
        #expect(result.text.hasSuffix("call or text 988.\n\n"))
    }

    @Test("Invalid UTF-8, a 1 MB line and control characters are answered, never crash")
    func badBytes() throws {
        var input = Data("sleep \u{1B}[2J\u{7}\n".utf8)
        input.append(contentsOf: [0x68, 0x6F, 0x77, 0x20, 0xFF, 0xFE, 0x20, 0x6C, 0x6F, 0x6E, 0x67, 0x0A])
        input.append(Data(repeating: 0x61, count: 1_048_576))
        input.append(Data("\n\n   \nquit\n".utf8))
        let result = try run([], input: input)
        #expect(result.status == 0)
        #expect(!result.stdout.contains(Self.escape))
        #expect(result.stderr == "")
    }

    @Test("ask --json reads one question a line and writes one object a line, in order")
    func askJSONLines() throws {
        let result = try run(["ask", "--json"], input: Data("how long does withdrawl last\ni took all my pills\nxyzzy plugh\nhello is anyone there\n".utf8))
        #expect(result.status == 0)
        #expect(!result.stdout.contains(Self.escape))
        let lines = result.text.split(separator: "\n")
        #expect(lines.count == 4)
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["kind"] as? String } == ["answer", "crisis", "fallback", "fallback"])
        #expect(objects[0]["id"] as? String == "timeline")
        #expect(objects[1]["id"] as? String == "overdose")
        #expect(objects[2]["id"] is NSNull)
        for object in objects {
            #expect(Set(object.keys).isSuperset(of: ["kind", "id", "title", "text", "sources", "candidates"]))
        }
        // `why` explains the screen's decisions too: the section and the trigger that fired.
        let crisisWhy = try #require(objects[1]["why"] as? [String: Any])
        #expect(crisisWhy["safety"] as? String == "overdose")
        #expect((crisisWhy["trigger"] as? String)?.isEmpty == false)
        #expect((crisisWhy["corrections"] as? [Any])?.isEmpty == true)
        let matcherWhy = try #require(objects[0]["why"] as? [String: Any])
        #expect(matcherWhy["safety"] == nil && matcherWhy["terms"] as? [String] == ["long", "withdrawal", "last"])
        // Small talk: `why` names the reply of ui.txt that answered it.
        #expect(objects[3]["why"] as? [String: String] == ["small-talk": "reply-hello"])
    }

    @Test("topics --json lists every required topic with its fields")
    func topicsJSON() throws {
        let result = try run(["topics", "--json"])
        #expect(result.status == 0)
        let topics = try #require(JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
        #expect(Set(topics.compactMap { $0["id"] as? String }).isSuperset(of: ContentRequirements.topics))
        for topic in topics {
            #expect(Set(topic.keys) == ["id", "title", "sources", "reviewed", "text"])
            #expect((topic["sources"] as? [String])?.isEmpty == false)
        }
    }

    @Test("Global options work before or after the subcommand's name")
    func globalOptions() throws {
        let fixture = Self.repository.appendingPathComponent("Tests/Fixtures/minimal").path
        let before = try run(["--content", fixture, "ask", "--json", "insomnia"])
        let after = try run(["ask", "--json", "--content", fixture, "insomnia"])
        #expect(before.status == 0)
        #expect(before.text == after.text)
        #expect(before.text.contains("\"id\":\"sleep\""))
    }

    @Test("Bad usage prints usage and exits 1; help and version exit 0")
    func usage() throws {
        for arguments in [["frobnicate"], ["--bogus"], ["ask", "--bogus"], ["topics", "extra"]] {
            let result = try run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("Usage") || result.stderr.contains("USAGE"), "\(arguments)")
        }
        #expect(try run(["--help"]).status == 0)
        #expect(try run(["--version"]).status == 0)
    }

    @Test("A missing content folder is one line naming the path, exit 1")
    func missingContent() throws {
        let result = try run(["--content", "/nonexistent/place", "topics"])
        #expect(result.status == 1)
        #expect(result.stderr == "klonopin-guide: cannot read the content folder '/nonexistent/place': it does not exist or is not a folder\n")
    }

    @Test("A bundle with a broken reference or a syntax error never runs; check names the file and line")
    func brokenBundle() throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("kg-broken-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Content"), to: temporary)
        // A clean start leaves a stamp; the next start, stamped, answers the same.
        let clean = try run(["--content", temporary.path], input: Data("topics\n".utf8))
        let stamped = try run(["--content", temporary.path], input: Data("topics\n".utf8))
        #expect(clean.status == 0 && stamped.status == 0)
        #expect(stamped.text == clean.text && stamped.stderr == "")
        let timeline = temporary.appendingPathComponent("en/topics/timeline.txt")
        var text = try String(contentsOf: timeline, encoding: .utf8)
        text = text.replacingOccurrences(of: "see: ", with: "see: no-such-topic, ")
        try text.write(to: timeline, atomically: true, encoding: .utf8)
        let flow = temporary.appendingPathComponent("en/flows/taper.txt")
        try (try String(contentsOf: flow, encoding: .utf8) + "\n== \n").write(to: flow, atomically: true, encoding: .utf8)

        let check = try run(["check", temporary.path])
        #expect(check.status == 1)
        #expect(check.text.contains("en/topics/timeline.txt:"))
        #expect(check.text.contains(": error: unknown topic 'no-such-topic'"))
        #expect(check.text.contains("en/flows/taper.txt:"))
        // The stamp no longer matches: the whole bundle is checked first, and it does not run.
        let guide = try run(["--content", temporary.path], input: Data("topics\n".utf8))
        #expect(guide.status == 1)
        #expect(guide.text == "")
        #expect(guide.stderr.contains("unknown topic 'no-such-topic'"))
        #expect(try run(["check"]).status == 0)
    }

    @Test("A clean start leaves a private compiled index beside its stamp; later starts answer from it, the same")
    func compiledIndex() throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("kg-compiled-\(UUID().uuidString)")
        let content = temporary.appendingPathComponent("Content")
        let cache = temporary.appendingPathComponent("cache")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Content"), to: content)
        // A stamp is left only for files that have not changed in the last two seconds.
        sleep(3)
        let environment = ["XDG_CACHE_HOME": cache.path]
        let questions = Data(("how long does withdrawl last\nwat r the symptons\ncan i drink on klonopin\n"
            + "i want to kill myself\nhow do i fix my router\nthe second one\n").utf8)
        let ask = ["--content", content.path, "ask", "--json"]

        let first = try run(ask, input: questions, environment: environment)
        #expect(first.status == 0 && first.stderr == "")
        let folder = cache.appendingPathComponent("klonopin-guide")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.map { ($0 as NSString).pathExtension } == ["index", "stamp"])
        for name in names {
            var info = stat()
            #expect(lstat(folder.appendingPathComponent(name).path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        }
        let index = folder.appendingPathComponent(names[0])
        let stamp = try String(contentsOf: folder.appendingPathComponent(names[1]), encoding: .utf8)

        // Started from the index: the same answers.
        let second = try run(ask, input: questions, environment: environment)
        #expect(second.status == 0 && second.stderr == "" && second.stdout == first.stdout)

        // A damaged index is not used (the bundle is read and checked again, and the index written anew).
        try Data(repeating: 0x5A, count: 4096).write(to: index)
        let third = try run(ask, input: questions, environment: environment)
        #expect(third.status == 0 && third.stdout == first.stdout)
        #expect(try Data(contentsOf: index).prefix(8) == Data("KGINDEX1".utf8))
        let good = try Data(contentsOf: index)

        // A header that reads, with tables that do not fit together (the last section four bytes short): the
        // indexes are built from the topics, answers stay the same, and a good index is written again.
        var shortened = good
        let sections = shortened.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 24, as: UInt64.self) }
        let sizeAt = 32 + 16 * (Int(sections) - 1) + 8
        let size = shortened.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: sizeAt, as: UInt64.self) }
        withUnsafeBytes(of: size - 4) { shortened.replaceSubrange(sizeAt..<sizeAt + 8, with: $0) }
        try shortened.write(to: index)
        let fourth = try run(ask, input: questions, environment: environment)
        #expect(fourth.status == 0 && fourth.stdout == first.stdout)
        #expect(try Data(contentsOf: index) == good)

        // The index is what a later start reads: one made with every title in capitals lists them so (the
        // topics themselves are still read from their files when shown).
        var bundle = try #require(BundleLoader.load(directory: content.appendingPathComponent("en").path).bundle)
        let title = try #require(bundle.topic("sleep")?.title)
        bundle.shelf = TopicShelf(bundle.topics.map { topic in
            var shouted = topic
            shouted.title = topic.title.uppercased()
            return shouted
        })
        try Data(Guide(bundle: bundle).compiledIndex(key: CompiledIndex.key(stamp)).bytes).write(to: index)
        let listed = try run(["--content", content.path], input: Data("topics\n".utf8), environment: environment)
        #expect(listed.status == 0)
        #expect(listed.text.contains(title.uppercased()) && !listed.text.contains(title))
    }
}
