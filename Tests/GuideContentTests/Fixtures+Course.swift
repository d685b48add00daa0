import Foundation

extension Fixtures {
    static let course = repository.appendingPathComponent("Tests/Fixtures/course").path

    /// The minimal fixture with the education session of `Tests/Fixtures/course` added: its files, and its
    /// `ui-session.txt` appended to `ui.txt`.
    static func courseFiles() -> [String: String] {
        var files = Fixtures.files(minimal)
        for (path, text) in Fixtures.files(course) {
            if path == "ui-session.txt" {
                files["ui.txt", default: ""] += "\n" + text
            } else {
                files[path] = text
            }
        }
        return files
    }
}
