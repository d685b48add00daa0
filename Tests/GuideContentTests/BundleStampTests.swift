import Foundation
@testable import GuideContent
import Testing

/// A stamp matches its folder until anything in it changes: a file's bytes, a name added or removed, the program.
@Suite("Bundle stamps")
struct BundleStampTests {
    /// A small bundle-shaped folder in a fresh temporary directory.
    static func folder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kg-stamp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("topics"),
                                                withIntermediateDirectories: true)
        try "language: en\n".write(to: root.appendingPathComponent("bundle.txt"), atomically: false, encoding: .utf8)
        try "id: sleep\n".write(to: root.appendingPathComponent("topics/sleep.txt"), atomically: false, encoding: .utf8)
        return root
    }

    @Test("A fresh stamp matches; it names the folder, each file and the program")
    func freshStampMatches() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let stamp = try #require(BundleStamp.make(directory: root.path, program: "build 1"))
        #expect(BundleStamp.matches(stamp, directory: root.path, program: "build 1"))
        let paths = stamp.split(separator: "\n").dropFirst(2).compactMap { BundleStamp.Entry($0)?.path }
        #expect(paths == [root.path, root.path + "/bundle.txt", root.path + "/topics", root.path + "/topics/sleep.txt"])
        #expect(stamp.hasPrefix("klonopin-guide bundle stamp 1\nprogram build 1\n"))
    }

    @Test("Another program, or another folder, does not match")
    func otherProgramOrFolder() throws {
        let root = try Self.folder()
        let other = try Self.folder()
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: other)
        }
        let stamp = try #require(BundleStamp.make(directory: root.path, program: "build 1"))
        #expect(!BundleStamp.matches(stamp, directory: root.path, program: "build 2"))
        #expect(!BundleStamp.matches(stamp, directory: other.path, program: "build 1"))
    }

    @Test("A file rewritten with the same size, a file added, a file removed: no match")
    func changesDoNotMatch() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let changes: [(String, (URL) throws -> Void)] = [
            ("same size, other bytes", { try "id: sleeq\n".write(to: $0.appendingPathComponent("topics/sleep.txt"), atomically: false, encoding: .utf8) }),
            ("a topic added", { try "id: more\n".write(to: $0.appendingPathComponent("topics/more.txt"), atomically: false, encoding: .utf8) }),
            ("a file removed", { try FileManager.default.removeItem(at: $0.appendingPathComponent("bundle.txt")) }),
        ]
        for (what, change) in changes {
            let stamp = try #require(BundleStamp.make(directory: root.path, program: "p"))
            // Times have a resolution: make sure a change lands on a later tick.
            usleep(20_000)
            try change(root)
            #expect(!BundleStamp.matches(stamp, directory: root.path, program: "p"), "\(what)")
        }
    }

    @Test("Damaged or empty stamps never match")
    func damagedStamps() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let stamp = try #require(BundleStamp.make(directory: root.path, program: "p"))
        let damaged = [
            "", "klonopin-guide bundle stamp 1\n", String(stamp.dropLast()),
            stamp.replacingOccurrences(of: "stamp 1", with: "stamp 9"),
            // Only the header and program: it names no folder.
            stamp.split(separator: "\n").prefix(2).joined(separator: "\n") + "\n",
        ]
        for text in damaged {
            #expect(!BundleStamp.matches(text, directory: root.path, program: "p"), "\(text.debugDescription)")
        }
    }

    @Test("A stamp of files changed in the last two seconds is recent, and is not kept")
    func recentChanges() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let stamp = try #require(BundleStamp.make(directory: root.path, program: "p"))
        let now = Int(Date().timeIntervalSince1970)
        #expect(BundleStamp.isRecent(stamp, now: now))
        #expect(!BundleStamp.isRecent(stamp, now: now + 10))
        #expect(BundleStamp.isRecent("klonopin-guide bundle stamp 1\nprogram p\nd 1 x y 3 /a\n", now: now + 10),
                "times that cannot be read count as recent")
    }

    @Test("Stamp names are a hash of the folder's path")
    func names() {
        #expect(BundleStamp.fileName(for: "/a/Content/en") == BundleStamp.fileName(for: "/a/Content/en"))
        #expect(BundleStamp.fileName(for: "/a/Content/en") != BundleStamp.fileName(for: "/b/Content/en"))
        #expect(BundleStamp.fileName(for: "") == "bundle-cbf29ce484222325.stamp")
    }
}
