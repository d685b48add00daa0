import GuideContent

/// A take-home page from an education session: made by the conversation, written to a file by the terminal
/// in one of three formats.
public struct Handout: Hashable, Sendable {
    /// How the file is written.
    public enum Format: String, Hashable, Sendable, CaseIterable {
        /// A self-contained printable page (`.html`, `.htm`).
        case html
        /// Markdown (`.md`, `.markdown`).
        case markdown
        /// Plain text (`.txt`).
        case plainText

        /// The format a file name asks for by its extension, or nil.
        public init?(path: String) {
            guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
            switch path[path.index(after: dot)...].lowercased() {
            case "html", "htm": self = .html
            case "md", "markdown": self = .markdown
            case "txt": self = .plainText
            default: return nil
            }
        }
    }

    /// A piece of the page.
    public enum Part: Hashable, Sendable {
        /// The guide's own text; `**emphasis**` is markup.
        case content([Block])
        /// The person's own words, exactly as typed, as a list: never read as markup, never shown as advice.
        case ownWords([String])
    }

    /// The bundle's language, for the page's `lang`.
    public var language: String
    public var title: String
    public var parts: [Part]

    public init(language: String, title: String, parts: [Part]) {
        self.language = language
        self.title = title
        self.parts = parts
    }

    /// Where `handout` writes when no file is named.
    public static let defaultPath = "klonopin-guide-handout.html"
}
