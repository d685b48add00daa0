import Foundation
import GuideContent

/// Finds the repository's folders from this file's own path.
enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let content = repository.appendingPathComponent("Content/en").path
    static let minimal = repository.appendingPathComponent("Tests/Fixtures/minimal").path
    static let today = SimpleDate(year: 2026, month: 11, day: 27)

    /// Every file of a bundle folder, by relative path.
    static func files(_ directory: String) -> [String: String] {
        var files: [String: String] = [:]
        let base = URL(fileURLWithPath: directory)
        let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where url.pathExtension == "txt" {
            let relative = String(url.path.dropFirst(base.path.count + 1))
            files[relative] = try! String(contentsOf: url, encoding: .utf8)
        }
        return files
    }
}
