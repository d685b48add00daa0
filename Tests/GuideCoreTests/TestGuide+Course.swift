import Foundation
import GuideContent
import GuideCore

extension TestGuide {
    /// The minimal fixture with the education session of `Tests/Fixtures/course` (its `ui-session.txt` appended
    /// to `ui.txt`).
    static let course: Guide = {
        var files: [String: String] = [:]
        for folder in ["Tests/Fixtures/minimal", "Tests/Fixtures/course"] {
            let base = repository.appendingPathComponent(folder)
            let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)!
            for case let url as URL in enumerator where url.pathExtension == "txt" {
                let relative = String(url.path.dropFirst(base.path.count + 1))
                let text = try! String(contentsOf: url, encoding: .utf8)
                if relative == "ui-session.txt" { files["ui.txt", default: ""] += "\n" + text } else { files[relative] = text }
            }
        }
        let result = BundleLoader.load(files: files, today: today)
        guard let bundle = result.bundle else { fatalError("course fixture: \(result.diagnostics.map(\.description))") }
        return Guide(bundle: bundle)
    }()
}

extension Conversation {
    /// Starts an education session, then enters each line.
    func runSession(_ lines: [String]) -> (State, [Effect]) {
        run([.sessionStarted] + lines.map { .lineEntered($0) })
    }
}
